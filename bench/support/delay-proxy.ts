// A loopback HTTP proxy in front of an AWS-compatible endpoint that holds every request for a fixed time before
// forwarding it: what real IAM and S3 calls cost (250-300 ms), on an emulator that answers in a millisecond.
import http from "node:http";
import type { AddressInfo } from "node:net";

export async function startDelayProxy(target: string, delayMs: number): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  const upstream = new URL(target);
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    const body: Buffer[] = [];
    req.on("data", (c: Buffer) => body.push(c));
    req.on("end", () => {
      setTimeout(() => {
        const out = http.request(
          { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        out.on("error", (e) => res.writeHead(502).end(String(e)));
        out.end(Buffer.concat(body));
      }, delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
