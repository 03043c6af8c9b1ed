// Crash trials: CRASH_TRIALS (default 20) applies, each in its own process against the tests' fake AWS account
// (kept in a state file, 30-60 ms per call), killed with SIGKILL at a random moment of the run; a new process
// recovers (the run becomes interrupted), resumes it and waits. Each trial must end succeeded (a create that AWS
// had accepted before the kill is read back from its checkpoint or the account, never repeated: a repeat would
// fail with AWS's already-exists error) and converged (a fresh plan wants nothing). Part of npm run test:robust.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TRIALS = Math.max(1, Number(process.env.CRASH_TRIALS ?? 20) || 20);
const CHILD = path.join(ROOT, "tests/robust/support/apply-child.ts");
const FLAGS = ["--conditions=react-server", "--import", "tsx", "--import", path.join(ROOT, "tests/support/fake-aws/preload-main-thread.mjs")];

function child(dir: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: `file:${path.join(dir, "console.db")}`, E2E_AWS_SCENARIO: path.join(dir, "aws.json"), RDS_POLL_INTERVAL_MS: "100" };
  delete env.AWS_ENDPOINT_URL;
  Object.assign(env, { AWS_ACCESS_KEY_ID: "robust-double", AWS_SECRET_ACCESS_KEY: "robust-double", AWS_REGION: "eu-west-1" });
  return spawn(process.execPath, [...FLAGS, CHILD, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "ignore"] });
}

/** The JSON lines a child printed, as they come; resolves with all of them when it exits. */
function lines(p: ReturnType<typeof child>, onLine: (o: Record<string, unknown>) => void = () => {}): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let rest = "";
  p.stdout!.on("data", (c: Buffer) => {
    const parts = (rest + c.toString()).split("\n");
    rest = parts.pop() ?? "";
    for (const l of parts) {
      const o = JSON.parse(l) as Record<string, unknown>;
      out.push(o);
      onLine(o);
    }
  });
  return new Promise((resolve) => p.on("exit", () => resolve(out)));
}

describe("crash trials", () => {
  it(`${TRIALS} applies killed with SIGKILL at a random moment, resumed by a new process: each succeeds and converges`, async () => {
    const outcomes: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "studio-crash-"));
      fs.writeFileSync(path.join(dir, "aws.json"), JSON.stringify({ delayMs: { "*": 30 + Math.floor(Math.random() * 30) } }));
      execFileSync(process.execPath, [path.join(ROOT, "scripts/migrate.mjs")], { env: { ...process.env, DATABASE_URL: `file:${path.join(dir, "console.db")}` }, stdio: "pipe" });
      // Within the run: after the run id is printed, an apply with these delays lasts 1-2 s.
      const killAfter = Math.floor(Math.random() * 900);
      let runId = "";
      const first = child(dir, ["start"]);
      const printed = lines(first, (o) => {
        if (typeof o.runId !== "string") return;
        runId = o.runId;
        setTimeout(() => first.kill("SIGKILL"), killAfter);
      });
      const firstOut = await printed;
      expect(runId, `trial ${trial}: the first process printed its run id`).not.toBe("");
      // A kill that came after the run ended leaves nothing to resume: that trial still counts as converged below.
      const finishedBeforeKill = firstOut.some((o) => o.view);
      if (!finishedBeforeKill) {
        const resumed = await lines(child(dir, ["resume", runId]));
        expect([trial, killAfter, resumed.at(-1)]).toEqual([trial, killAfter, { status: "succeeded", error: null }]);
      }
      const verified = await lines(child(dir, ["verify"]));
      expect([trial, verified.at(-1)]).toEqual([trial, { left: [] }]);
      outcomes.push(finishedBeforeKill ? "finished before the kill" : `killed after ${killAfter} ms`);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // Most kills must land inside the run, or the trials prove little.
    expect(outcomes.filter((o) => o.startsWith("killed")).length).toBeGreaterThanOrEqual(Math.ceil(TRIALS * 0.75));
  }, 1_800_000);
});
