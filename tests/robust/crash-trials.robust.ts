// Crash trials: CRASH_TRIALS (default 20) applies, each in its own process against the tests' fake AWS account
// (kept in a state file; 30-60 ms per call, half of it after the service acted, the answer in flight), killed with
// SIGKILL: even trials at a random moment of the run, odd ones right after AWS accepted a random mutating call. A
// new process recovers (the run becomes interrupted), resumes it and waits. Each trial must end succeeded (a
// create that AWS had accepted before the kill is read back from its checkpoint or the account, never repeated: a
// repeat would fail with AWS's already-exists error) and converged (a fresh plan wants nothing), and every mutating
// call the account accepted, in either process, must have its line in the run's log: its result with AWS's request
// id, or the resume's "made by the interrupted attempt; not repeated" (support/accepted-calls.ts; the double writes
// each accepted call to FAKE_AWS_CALL_LOG, synced, before answering). Part of npm run test:robust.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { accountFor, readAccepted, readRunLog } from "./support/accepted-calls";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TRIALS = Math.max(1, Number(process.env.CRASH_TRIALS ?? 20) || 20);
const CHILD = path.join(ROOT, "tests/robust/support/apply-child.ts");
const FLAGS = ["--conditions=react-server", "--import", "tsx", "--import", path.join(ROOT, "tests/support/fake-aws/preload-main-thread.mjs")];

function child(dir: string, args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: `file:${path.join(dir, "console.db")}`,
    E2E_AWS_SCENARIO: path.join(dir, "aws.json"),
    FAKE_AWS_CALL_LOG: path.join(dir, "accepted.jsonl"),
    RDS_POLL_INTERVAL_MS: "100",
  };
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
    const accounted: Record<string, number> = { "request id": 0, "interrupted attempt": 0 };
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "studio-crash-"));
      // Half of each call's time before the service acts, half after (the answer in flight): a kill in the second
      // half leaves a change made that the killed process never heard of.
      const half = 15 + Math.floor(Math.random() * 15);
      fs.writeFileSync(path.join(dir, "aws.json"), JSON.stringify({ delayMs: { "*": half }, answerDelayMs: { "*": half } }));
      execFileSync(process.execPath, [path.join(ROOT, "scripts/migrate.mjs")], { env: { ...process.env, DATABASE_URL: `file:${path.join(dir, "console.db")}` }, stdio: "pipe" });
      // Even trials: a random moment within the run (after the run id is printed, an apply with these delays lasts
      // 0.5-2 s on an idle machine: kills later than 400 ms often came after the end and proved nothing). Odd trials: right after AWS accepted the k-th
      // mutating call (a fresh apply makes 13), while its answer is in flight: the resume must find that change made.
      const byTime = trial % 2 === 0;
      const killAfter = Math.floor(Math.random() * 400);
      const killAtCall = 1 + Math.floor(Math.random() * 12);
      const acceptedFile = path.join(dir, "accepted.jsonl");
      let runId = "";
      let watch: NodeJS.Timeout | undefined;
      const first = child(dir, ["start"]);
      const printed = lines(first, (o) => {
        if (typeof o.runId !== "string") return;
        runId = o.runId;
        if (byTime) setTimeout(() => first.kill("SIGKILL"), killAfter);
        else
          watch = setInterval(() => {
            if (readAccepted(acceptedFile).length >= killAtCall) first.kill("SIGKILL");
          }, 2);
      });
      const firstOut = await printed;
      clearInterval(watch);
      expect(runId, `trial ${trial}: the first process printed its run id`).not.toBe("");
      // A kill that came after the run ended leaves nothing to resume: that trial still counts as converged below.
      const finishedBeforeKill = firstOut.some((o) => o.view);
      if (!finishedBeforeKill) {
        const resumed = await lines(child(dir, ["resume", runId]));
        expect.soft([trial, resumed.at(-1)]).toEqual([trial, { status: "succeeded", error: null }]);
      }
      const verified = await lines(child(dir, ["verify"]));
      expect.soft([trial, verified.at(-1)]).toEqual([trial, { left: [] }]);
      // Every mutating call AWS accepted has its log line.
      const log = readRunLog(path.join(dir, "console.db"), runId);
      const accepted = readAccepted(acceptedFile);
      const unaccounted = accepted.filter((c) => !accountFor(c, log)).map((c) => `${c.command} ${c.requestId}`);
      expect.soft([trial, unaccounted]).toEqual([trial, []]);
      const recovered = accepted.filter((c) => accountFor(c, log) === "interrupted attempt").map((c) => c.command);
      accounted["request id"] += accepted.filter((c) => accountFor(c, log) === "request id").length;
      accounted["interrupted attempt"] += recovered.length;
      outcomes.push(finishedBeforeKill ? "finished before the kill" : byTime ? `killed after ${killAfter} ms` : `killed after mutating call ${killAtCall} was accepted`);
      console.log(`trial ${trial}: ${outcomes.at(-1)}; ${accepted.length} mutating calls accepted${recovered.length ? `, made before the kill and logged by the resume: ${recovered.join(", ")}` : ""}`);
      // A trial with a call unaccounted for keeps its job store, account and call log for a look.
      if (unaccounted.length) console.log(`trial ${trial}: kept ${dir}`);
      else fs.rmSync(dir, { recursive: true, force: true });
    }
    console.log(`crash trials: ${outcomes.filter((o) => o.startsWith("killed")).length} of ${TRIALS} killed mid-run; accepted mutating calls accounted for`, accounted);
    // Some accepted calls must have been found through the resumed run's "not repeated" line, or that path is untested.
    expect(accounted["interrupted attempt"]).toBeGreaterThan(0);
    // Most kills must land inside the run, or the trials prove little.
    // (Per-trial checks are soft: one failing trial does not hide what the other trials show.)
    expect(outcomes.filter((o) => o.startsWith("killed")).length).toBeGreaterThanOrEqual(Math.ceil(TRIALS * 0.75));
  }, 1_800_000);
});
