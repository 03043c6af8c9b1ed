// Polls a console's /api/health in its own process (the suite's own work cannot delay the measurement) every
// 50 ms, one request at a time, each given up to 10 s. On SIGTERM prints one JSON line with the count, the
// slowest answer in milliseconds, the answers that were not 200 and when the slow ones (over 300 ms) started
// (epoch ms), then exits.
//   node health-poller.mjs <base-url>
const base = process.argv[2];
const latencies = [];
const failures = [];
const slow = [];
let stopping = false;

process.on("SIGTERM", () => (stopping = true));

while (!stopping) {
  const t0 = performance.now();
  try {
    const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    if (res.status !== 200) failures.push(`HTTP ${res.status}`);
  } catch (err) {
    failures.push(String(err));
  }
  const ms = performance.now() - t0;
  latencies.push(ms);
  if (ms > 300) slow.push({ at: Date.now() - Math.round(ms), ms: Math.round(ms) });
  await new Promise((r) => setTimeout(r, 50));
}
latencies.sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ count: latencies.length, maxMs: Math.round(latencies.at(-1) ?? 0), p50Ms: Math.round(latencies[Math.floor(latencies.length / 2)] ?? 0), failures, slow })}\n`);
process.exit(0);
