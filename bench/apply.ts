// Benchmark: wall time and AWS call count of the AWS apply against AWS_ENDPOINT_URL (an emulator on this
// machine, or a remote endpoint with ALLOW_REMOTE_AWS=1). Prints figures; decides nothing.
//   npx tsx bench/apply.ts            BENCH_ROUNDS=5 for more converged re-applies
//   BENCH_ENV=env.json                an existing environment (EnvironmentSettings JSON) instead of fixtures
import { underReactServer } from "./react-server";

if (!process.env.AWS_ENDPOINT_URL) {
  console.log("bench/apply: AWS_ENDPOINT_URL is not set; point it at an AWS-compatible endpoint to measure the apply.");
  process.exit(0);
}

underReactServer(import.meta.url);

await import("./apply-run");
