// The built console started as `npm start` starts it (scripts/server.mjs), on a free loopback port and a job store
// of the benchmark's choosing, for the benchmarks that measure it from outside (pages, progress latency, cold
// start, first-load JavaScript). Needs `npm run build` first.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export function hasBuild(root = ROOT): boolean {
  return fs.existsSync(path.join(root, ".next", "BUILD_ID"));
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface ConsoleServer {
  base: string;
  process: ChildProcess;
  /** Milliseconds from spawn to the first 200 of each path waited for. */
  readyMs: Record<string, number>;
  stop(): Promise<void>;
}

export interface StartOptions {
  dbFile: string;
  sessionSecret?: string;
  /** Paths polled until each answers 200, in order (default: /api/health). */
  waitFor?: string[];
  /** Extra node flags for the server process (e.g. --cpu-prof). */
  nodeFlags?: string[];
  env?: Record<string, string>;
  /** Variables of this process the server must not inherit (AWS_ENDPOINT_URL when AWS is doubled). */
  withoutEnv?: string[];
  /** The server's own script, for an app other than the console (an empty Next page). */
  command?: (port: number) => string[];
  cwd?: string;
  log?: string;
}

export async function startConsole(opts: StartOptions): Promise<ConsoleServer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const out = fs.openSync(opts.log ?? `${opts.dbFile}.server.log`, "a");
  const inherited = { ...process.env };
  for (const name of opts.withoutEnv ?? []) delete inherited[name];
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [...(opts.nodeFlags ?? []), ...(opts.command?.(port) ?? [path.join(ROOT, "scripts/server.mjs"), "-p", String(port), "-H", "127.0.0.1"])],
    {
      cwd: opts.cwd ?? ROOT,
      env: {
        ...inherited,
        NODE_OPTIONS: "",
        DATABASE_URL: `file:${opts.dbFile}`,
        PORT: String(port),
        SESSION_SECRET: opts.sessionSecret ?? randomBytes(32).toString("hex"),
        CONSOLE_PUBLIC_URL: base,
        NEXT_TELEMETRY_DISABLED: "1",
        ...opts.env,
      },
      stdio: ["ignore", out, out],
    },
  );
  let exited = false;
  child.on("exit", () => (exited = true));
  const readyMs: Record<string, number> = {};
  for (const p of opts.waitFor ?? ["/api/health"]) {
    for (;;) {
      if (exited) throw new Error(`the server exited before ${p} answered 200 (log: ${opts.log ?? `${opts.dbFile}.server.log`})`);
      if (performance.now() - t0 > 180_000) throw new Error(`${p} did not answer 200 within 3 minutes`);
      const ok = await fetch(`${base}${p}`, { redirect: "manual" })
        .then(async (r) => (await r.arrayBuffer(), r.status === 200))
        .catch(() => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    readyMs[p] = performance.now() - t0;
  }
  return {
    base,
    process: child,
    readyMs,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
