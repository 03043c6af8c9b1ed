// `npm run test:e2e`: build the console, start it on a throw-away job store and a free port, run Playwright
// in Debian's Chromium against it, stop it. AWS is doubled by a preload module OUTSIDE the product (the unit
// tests' fake account, tests/support/fake-aws/preload.ts, loaded through tsx) unless AWS_ENDPOINT_URL points at
// an emulator.
// Extra arguments go to `playwright test` (e.g. a spec file).
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const node = process.execPath;
process.env.NEXT_TELEMETRY_DISABLED = "1";

const endpoint = process.env.AWS_ENDPOINT_URL;
if (endpoint && !/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(endpoint) && process.env.ALLOW_REMOTE_AWS !== "1") {
  console.error(`Refusing to run browser tests against ${endpoint}: not a loopback emulator (set ALLOW_REMOTE_AWS=1 to insist).`);
  process.exit(2);
}

if (process.env.E2E_SKIP_BUILD !== "1") {
  execFileSync(node, [path.join(root, "node_modules/next/dist/bin/next"), "build"], { stdio: "inherit", cwd: root });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "studio-e2e-"));
const dbUrl = `file:${path.join(work, "console.db")}`;
execFileSync(node, [path.join(root, "scripts/migrate.mjs")], { stdio: "pipe", cwd: root, env: { ...process.env, DATABASE_URL: dbUrl } });

const freePort = () =>
  new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
const port = await freePort();

// A database of its own for the grants step, on the test PostgreSQL, with a NOLOGIN `rds_iam` role standing in
// for RDS's built-in one (roles are cluster-wide: create it only when missing).
const { default: pg } = await import("pg");
const pgUrl = process.env.PG_TEST_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const pgDatabase = `studio_e2e_${randomBytes(4).toString("hex")}`;
{
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pgDatabase}`);
  await admin.query(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam') THEN CREATE ROLE rds_iam NOLOGIN; END IF; END $$`);
  await admin.end();
}
// The run's roles end in its database's suffix (e2e/support/harness.ts pgRole): their privileges go with the
// database, their memberships with DROP ROLE.
const dropPgDatabase = async () => {
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`).catch(() => undefined);
  const suffix = `_${pgDatabase.slice("studio_e2e_".length)}`;
  const { rows } = await admin.query("SELECT rolname FROM pg_roles WHERE right(rolname, length($1)) = $1", [suffix]);
  for (const { rolname } of rows) await admin.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(rolname)}`).catch(() => undefined);
  await admin.end();
};

const serverLog = path.join(work, "server.log");
const scenario = path.join(work, "aws-scenario.json");
fs.writeFileSync(scenario, "{}");
const serverEnv = {
  ...process.env,
  DATABASE_URL: dbUrl,
  PORT: String(port),
  SESSION_SECRET: randomBytes(32).toString("hex"),
  CONSOLE_PUBLIC_URL: `http://127.0.0.1:${port}`,
  E2E_AWS_SCENARIO: scenario,
  RDS_POLL_INTERVAL_MS: "200",
  // The browser tests play the proxy: their X-Forwarded-* headers are believed from this address only.
  CONSOLE_TRUSTED_PROXIES: "127.0.0.1",
  AWS_REGION: process.env.AWS_REGION || "eu-west-1",
};
// Node flags for the server process only: tsx's loader (a devDependency) runs the TypeScript preload; the server's
// own code is already compiled. The preload is loaded on the main thread only (worker threads inherit the flags).
const nodeFlags = [];
if (!endpoint) {
  const preload = pathToFileURL(path.join(root, "tests/support/fake-aws/preload-main-thread.mjs")).href;
  nodeFlags.push("--import", "tsx", "--import", preload);
  // The SDK's default chain needs some credentials even though every call is answered by the double.
  serverEnv.AWS_ACCESS_KEY_ID ||= "e2e-double";
  serverEnv.AWS_SECRET_ACCESS_KEY ||= "e2e-double";
}
const out = fs.openSync(serverLog, "a");
let server;
const startServer = () => {
  // The product's own server script (what `npm start` runs), not `next start`.
  server = spawn(node, [...nodeFlags, path.join(root, "scripts/server.mjs"), "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: serverEnv,
    stdio: ["ignore", out, out],
    detached: true,
  });
};
const stop = (signal = "SIGTERM") => {
  try {
    process.kill(-server.pid, signal);
  } catch {}
};
process.on("exit", () => stop());
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(130));

const base = `http://127.0.0.1:${port}`;
// Up to three minutes: the first start compiles the AWS double's TypeScript (tsx), slow on a busy machine.
async function waitUp() {
  for (let i = 0; i < 360; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}
startServer();
if (!(await waitUp())) {
  console.error("The console did not start:\n" + fs.readFileSync(serverLog, "utf8"));
  process.exit(1);
}

// The tests' remote control of this harness: POST /kill-and-restart kills the console with SIGKILL (as if the
// process died mid-run) and starts it again on the same job store.
const controlPort = await freePort();
const control = http
  .createServer(async (req, res) => {
    if (req.method === "POST" && req.url === "/kill-and-restart") {
      const old = server;
      const exited = new Promise((r) => old.once("exit", r));
      stop("SIGKILL");
      await exited;
      startServer();
      const ok = await waitUp();
      res.writeHead(ok ? 200 : 500).end(ok ? "restarted" : "did not come back");
      return;
    }
    res.writeHead(404).end();
  })
  .listen(controlPort, "127.0.0.1");

const pw = spawn(node, [path.join(root, "node_modules/@playwright/test/cli.js"), "test", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    E2E_BASE_URL: base,
    E2E_SERVER_LOG: serverLog,
    E2E_DATABASE_FILE: dbUrl.slice("file:".length),
    E2E_AWS_SCENARIO: scenario,
    E2E_CONTROL_URL: `http://127.0.0.1:${controlPort}`,
    E2E_PG_DATABASE: pgDatabase,
    E2E_DOUBLED_AWS: endpoint ? "" : "1",
  },
});
const code = await new Promise((resolve) => pw.on("exit", (c) => resolve(c ?? 1)));
stop();
control.close();
await dropPgDatabase();
if (code !== 0) console.error(`Server log: ${serverLog}`);
process.exit(code);
