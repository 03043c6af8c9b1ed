// Benchmark: wall time and AWS call count of the AWS apply against AWS_ENDPOINT_URL (an emulator on this
// machine, or a remote endpoint with ALLOW_REMOTE_AWS=1). Prints figures; decides nothing.
//   npx tsx bench/apply.ts            BENCH_ROUNDS=5 for more converged re-applies
//   BENCH_ENV=env.json                an existing environment (EnvironmentSettings JSON) instead of fixtures
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

if (!process.env.AWS_ENDPOINT_URL) {
  console.log("bench/apply: AWS_ENDPOINT_URL is not set; point it at an AWS-compatible endpoint to measure the apply.");
  process.exit(0);
}

// lib/ is server code (`import "server-only"`): run it under the react-server export condition.
if (!process.execArgv.some((a) => a.includes("react-server"))) {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [...process.execArgv, "--conditions=react-server", self, ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  process.exit(r.status ?? 1);
}

await import("./apply-run");
