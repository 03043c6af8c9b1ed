// One load measurement with autocannon: `connections` clients for `seconds`, each request's latency recorded
// (autocannon's own summary has p97.5 but no p95), so the pages benchmark prints p50 and p95 as the issue asks.
import autocannon from "autocannon";

export interface Load {
  p50: number;
  p95: number;
  requests: number;
  perSecond: number;
  /** Answers that were not 2xx (a page that failed is not a fast page). */
  failures: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function load(url: string, connections: number, seconds: number, cookies: string[]): Promise<Load> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        // Each connection signs in with its own session: a session holds only a few event streams at once.
        setupClient: (client) => client.setHeaders({ cookie: cookies[next++ % cookies.length] }),
      },
      (error, r) => (error ? reject(error) : resolve(r)),
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      latencies.push(ms);
      if (status < 200 || status > 299) failures++;
    });
  });
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    requests: latencies.length,
    perSecond: latencies.length / (result.duration || seconds),
    failures,
  };
}
