// Benchmark apply-latency: the fresh and the converged apply through the job service against AWS_ENDPOINT_URL
// (an emulator on this machine), with BENCH_DELAY_MS (default 250) added to every AWS call by a delaying proxy
// the benchmark starts itself: about what real IAM and S3 calls take. Prints wall time, calls, mutating calls and
// the critical path (the longest chain of calls that waited for each other). Goals at 250 ms a call: fresh
// ≤ 2.5 s, converged ≤ 1.5 s.
import { underReactServer } from "./react-server";

if (!process.env.AWS_ENDPOINT_URL) {
  console.log("bench/apply-latency: AWS_ENDPOINT_URL is not set; point it at an AWS-compatible endpoint (an emulator on loopback).");
  process.exit(0);
}

underReactServer(import.meta.url);

await import("./apply-latency-run");
