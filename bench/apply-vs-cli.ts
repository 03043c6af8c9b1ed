// Benchmark apply-vs-cli: the guide's steps as a sequential AWS CLI script (the console's own plan rendered as
// one, bench/apply-vs-cli-run.ts; Debian's `aws` runs it command by command) against AWS_ENDPOINT_URL with
// BENCH_DELAY_MS (default 250) per call through the same delaying proxy, versus the console's apply of the same
// plan for a second environment in the same fresh state. Both verified by reading the account back: every AWS
// change of a new plan unchanged. Prints both times and the ratio.   npm run bench:cli
import { spawnSync } from "node:child_process";
import { underReactServer } from "./react-server";

if (!process.env.AWS_ENDPOINT_URL) {
  console.log("bench/apply-vs-cli: AWS_ENDPOINT_URL is not set; point it at an AWS-compatible endpoint (an emulator on loopback).");
  process.exit(0);
}
if (spawnSync("aws", ["--version"]).status !== 0) {
  console.log("bench/apply-vs-cli: no `aws` command here (Debian: apt-get install awscli).");
  process.exit(0);
}

underReactServer(import.meta.url);

await import("./apply-vs-cli-run");
