// `npm start` stops cleanly when only the npm process is signalled (SIGTERM from a service manager, SIGINT from a
// terminal's kill): npm runs the start script through `sh -c`, and the console must not be left running under
// init once npm and the shell are gone. Uses the build the browser tests run against, on a throw-away job store.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Every process below `pid` (npm → sh → start.mjs → server.mjs). */
function descendants(pid: number): number[] {
  const out = execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" });
  const children = new Map<number, number[]>();
  for (const line of out.trim().split("\n")) {
    const [p, pp] = line.trim().split(/\s+/).map(Number);
    children.set(pp, [...(children.get(pp) ?? []), p]);
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      found.push(c);
      walk(c);
    }
  };
  walk(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`npm start: ${signal} to npm alone stops the console and every process it started`, async () => {
    test.setTimeout(240_000);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "studio-npm-start-"));
    const port = await freePort();
    const npm = spawn("npm", ["start", "--silent"], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: `file:${path.join(work, "console.db")}`,
        PORT: String(port),
        HOSTNAME_BIND: "127.0.0.1",
        SESSION_SECRET: "0".repeat(64),
        NEXT_TELEMETRY_DISABLED: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    npm.stdout!.on("data", (d) => (output += d));
    npm.stderr!.on("data", (d) => (output += d));
    try {
      await expect(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/api/health`);
        expect(res.status).toBe(200);
      }).toPass({ timeout: 200_000, intervals: [500] });
      const below = descendants(npm.pid!);
      expect(below.length, output).toBeGreaterThanOrEqual(2); // at least start.mjs and the server

      process.kill(npm.pid!, signal);
      await expect.poll(() => below.filter(alive), { timeout: 15_000, message: output }).toEqual([]);
      await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
    } finally {
      for (const pid of [npm.pid!, ...descendants(npm.pid!)]) if (alive(pid)) process.kill(pid, "SIGKILL");
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
}
