// `npm run test:robust`: the robustness suites in one command. Builds the console (unless E2E_SKIP_BUILD=1), then
//   1. vitest (vitest.robust.config.ts): tests/robust/ — access control read from the build, hostile input against
//      the schema and against the running console (health within 1 s throughout, no AWS call or database
//      connection for refused input), mixed faults over whole applies (a fifth of all AWS calls throttled, 5xx,
//      reset or answer lost), crash trials (every accepted mutating call has its log line) — with the unit suites
//      of crashes and recovery, faults, hostile SQL identifiers, secrets, concurrency, throttling and cookies,
//      event streams and paging;
//   2. the browser hardening spec (e2e/hardening.spec.ts): redirects, CSP, cookie flags behind a proxy,
//      throttling, oversize input answered with the field's message, polling fallback.
// Extra arguments go to vitest (a file, -t NAME).
import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const node = process.execPath;
const bin = (name) => path.join(root, "node_modules", name);
process.env.NEXT_TELEMETRY_DISABLED = "1";

export const ROBUST_UNIT_SUITES = [
  // Access control read from the build; hostile input (schema, and the running console); mixed faults over whole
  // applies; 20 crash trials (kill -9 at a random moment or just after an accepted mutating call, resume).
  "tests/robust/",
  // Crash: a run left behind by a killed process is interrupted, resumable, settled in one transaction.
  "tests/jobs/crash-states.test.ts",
  "tests/jobs/recovery.test.ts",
  "tests/jobs/lost-worker.test.ts",
  "tests/jobs/cancel.test.ts",
  // Faults: AccessDenied naming the action, throttling and 5xx retried by the SDK, delays ended by abort.
  "tests/support/fake-aws/faults.test.ts",
  "tests/jobs/runner.test.ts",
  // Hostile input reaching SQL: refused before any connection; secrets never stored or logged.
  "tests/postgres/hostile-identifiers.test.ts",
  "tests/postgres/admin-password.test.ts",
  "tests/jobs/secrets.test.ts",
  "tests/config/environment-schema.test.ts",
  // Concurrency: one active run per environment; serialised grants.
  "tests/jobs/concurrency.test.ts",
  // Sessions, cookies, throttling.
  "tests/auth/throttle.test.ts",
  "tests/auth/sessions.test.ts",
  "tests/auth/seal.test.ts",
  "tests/http/security-headers.test.ts",
  // Live progress shared by every viewer; history paged.
  "tests/jobs/run-feed.test.ts",
  "tests/routes/run-events.test.ts",
  "tests/routes/run-pages.test.ts",
];

const run = (args, env = {}) => spawnSync(node, args, { stdio: "inherit", cwd: root, env: { ...process.env, ...env } }).status ?? 1;

if (process.env.E2E_SKIP_BUILD !== "1") execFileSync(node, [bin("next/dist/bin/next"), "build"], { stdio: "inherit", cwd: root });
const unit = run([bin("vitest/vitest.mjs"), "run", "--config", "vitest.robust.config.ts", ...(process.argv.length > 2 ? process.argv.slice(2) : ROBUST_UNIT_SUITES)]);
const browser = process.argv.length > 2 ? 0 : run([path.join(root, "scripts/e2e.mjs"), "e2e/hardening.spec.ts"], { E2E_SKIP_BUILD: "1" });
console.log(`\ntest:robust: unit and build-reading suites ${unit === 0 ? "passed" : "FAILED"}; browser hardening ${browser === 0 ? "passed" : "FAILED"}`);
process.exit(unit || browser);
