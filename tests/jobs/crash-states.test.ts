// Runs after a crash: start-up recovery is all or nothing, resume and retry work from whatever state a crash
// left in the store (e.g. a step still `running` under an `interrupted` run), and the service says when it is
// ready (the health route answers only after recovery).
import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/db-client";
import { createJobService } from "@/lib/jobs";
import { controlsFor } from "@/lib/jobs/controls";
import type { RunView } from "@/lib/jobs";
import type { Step, StepKey } from "@/lib/steps/types";
import { changeId, createEnvironment, FakeCloud, fakeStep, stepRows, within, type Call } from "./support/fakes";
import { openDbPerTest } from "./support/open-db";
import { reviewPlan } from "./support/plan";
import { testSettings } from "@/tests/support/settings";

const open = openDbPerTest();

/** identity → rds-role → rds-iam-auth, over `cloud` (identity already made: its step succeeded before the crash). */
function chain(calls: Call[] = [], cloud = new FakeCloud()): Step[] {
  return [
    fakeStep("identity", cloud, calls),
    fakeStep("rds-role", cloud, calls, { dependsOn: ["identity"] }),
    fakeStep("rds-iam-auth", cloud, calls, { dependsOn: ["rds-role"] }),
  ];
}

/**
 * Writes an apply run of a reviewed plan, and its steps, as a crash might have left them: past its first start
 * (planCheckedAt set), so a resume checks only that nothing unreviewed is needed.
 */
async function storedRun(db: Db, status: string, steps: Record<string, string>, heartbeatAgoMs = 60_000) {
  const env = await createEnvironment(db);
  const plan = await reviewPlan(db, env.id, chain());
  const at = new Date(Date.now() - heartbeatAgoMs);
  const run = await db.run.create({
    data: {
      environmentId: env.id,
      kind: "apply",
      actor: "ada",
      status,
      planId: plan.id,
      planCheckedAt: at,
      settings: JSON.stringify(testSettings()),
      startedAt: at,
      heartbeatAt: at,
      workerId: "dead-worker",
    },
  });
  let position = 0;
  for (const [key, s] of Object.entries(steps)) {
    await db.stepRun.create({
      data: {
        runId: run.id,
        key,
        status: s,
        position: position++,
        attempt: s === "pending" ? 0 : 1,
      },
    });
  }
  return run.id;
}

describe("start-up recovery", () => {
  it("is one transaction: a failure half-way changes nothing (never an interrupted run with a running step)", async () => {
    const t = open();
    const runId = await storedRun(t.db, "running", { identity: "succeeded", "rds-role": "running", "rds-iam-auth": "pending" });
    // The store fails on the second write of recovery (as a full disk or a kill between two statements would).
    await t.db.$executeRawUnsafe(`CREATE TRIGGER refuse_step_interrupt BEFORE UPDATE OF "status" ON "StepRun"
      WHEN NEW."status" = 'interrupted' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    const jobs = createJobService({ db: t.db, steps: chain([]) });
    await expect(jobs.recoverInterrupted(0)).rejects.toThrow();
    const run = await t.db.run.findUniqueOrThrow({ where: { id: runId } });
    const rows = await stepRows(t.db, runId);
    expect([run.status, rows["rds-role"].status]).toEqual(["running", "running"]);
    expect(await t.db.runLog.count({ where: { runId } })).toBe(0);

    // Once the store works again, recovery does all of it.
    await t.db.$executeRawUnsafe(`DROP TRIGGER refuse_step_interrupt`);
    expect(await jobs.recoverInterrupted(0)).toEqual([runId]);
    const after = await jobs.runView(runId);
    expect([after?.status, after?.steps.find((s) => s.key === "rds-role")?.status]).toEqual(["interrupted", "interrupted"]);
    expect((await jobs.logsSince(runId)).map((l) => l.message)).toEqual([
      "Interrupted: the process running it stopped; resume to continue (finished steps are kept)",
    ]);
  });

  it("also settles steps a crash left running under a run that already ended", async () => {
    const t = open();
    const runId = await storedRun(t.db, "interrupted", { identity: "succeeded", "rds-role": "running", "rds-iam-auth": "pending" });
    const jobs = createJobService({ db: t.db, steps: chain([]) });
    await jobs.recoverInterrupted(0);
    expect((await stepRows(t.db, runId))["rds-role"].status).toBe("interrupted");
  });
});

describe("resume and retry from any stored state", () => {
  it("resumes an interrupted run whose step was left running (the crash came between two updates)", async () => {
    const t = open();
    const runId = await storedRun(t.db, "interrupted", { identity: "succeeded", "rds-role": "running", "rds-iam-auth": "pending" });
    const calls: Call[] = [];
    const jobs = createJobService({ db: t.db, steps: chain(calls) });
    await jobs.resumeRun(runId, "bob");
    const done = await within(jobs.waitForRun(runId), "the resumed run");
    expect(done?.error ?? null).toBeNull();
    expect(done?.status).toBe("succeeded");
    expect(calls.map((c) => c.change)).toEqual([changeId("rds-role"), changeId("rds-iam-auth")]);
    expect(done?.steps.find((s) => s.key === "rds-role")?.attempt).toBe(2);
  });

  it("retries a step that was left running under a failed run", async () => {
    const t = open();
    const runId = await storedRun(t.db, "failed", { identity: "succeeded", "rds-role": "running", "rds-iam-auth": "pending" });
    const calls: Call[] = [];
    const jobs = createJobService({ db: t.db, steps: chain(calls) });
    await jobs.retryStep(runId, "rds-role" as StepKey, "bob");
    const done = await within(jobs.waitForRun(runId), "the retried run");
    expect(done?.status).toBe("succeeded");
    expect(calls.map((c) => c.change)).toEqual([changeId("rds-role"), changeId("rds-iam-auth")]);
  });

  it("the run page offers resume for every run that stopped with work left, and retry for a failed step", () => {
    const view = (status: RunView["status"], steps: [string, string][]) =>
      ({ status, steps: steps.map(([key, s]) => ({ key, status: s, title: key })) }) as unknown as RunView;
    expect(controlsFor(view("interrupted", [["identity", "succeeded"], ["rds-role", "running"]]))).toMatchObject({ resume: true, cancel: false });
    // A failed run whose failure left steps not run (e.g. "Steps not run yet") can be resumed.
    expect(controlsFor(view("failed", [["identity", "succeeded"], ["rds-role", "pending"]]))).toMatchObject({ resume: true, retry: null });
    expect(controlsFor(view("failed", [["identity", "succeeded"], ["rds-role", "failed"], ["rds-iam-auth", "pending"]]))).toMatchObject({
      retry: "rds-role",
      resume: false,
    });
    expect(controlsFor(view("running", [["identity", "running"]]))).toMatchObject({ cancel: true, resume: false, retry: null });
    expect(controlsFor(view("succeeded", [["identity", "succeeded"]]))).toMatchObject({ cancel: false, resume: false, retry: null });
  });
});

describe("readiness", () => {
  it("is ready only once start-up recovery has run: by then the stale run is interrupted", async () => {
    const t = open();
    const runId = await storedRun(t.db, "running", { identity: "succeeded", "rds-role": "running", "rds-iam-auth": "pending" });
    const jobs = createJobService({ db: t.db, steps: chain([]), staleAfterMs: 0, recoverOnStart: true });
    // Recovery is one synchronous transaction run while the service is created: no caller sees the service
    // before it (the health route creates it too, so it cannot answer before recovery).
    expect(jobs.readiness()).toEqual({ ready: true });
    expect((await t.db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("interrupted");
    await within(jobs.ready(), "start-up recovery");
  });

  it("says so when recovery failed, and is ready once a later attempt succeeds", async () => {
    const t = open();
    await storedRun(t.db, "running", { identity: "succeeded", "rds-role": "running" });
    await t.db.$executeRawUnsafe(`CREATE TRIGGER refuse_step_interrupt BEFORE UPDATE OF "status" ON "StepRun"
      WHEN NEW."status" = 'interrupted' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    const jobs = createJobService({ db: t.db, steps: chain([]), staleAfterMs: 0, recoverOnStart: true });
    await expect(jobs.ready()).rejects.toThrow();
    expect(jobs.readiness()).toMatchObject({ ready: false, reason: expect.stringMatching(/^recovery of stopped runs failed/) });
    await t.db.$executeRawUnsafe(`DROP TRIGGER refuse_step_interrupt`);
    await jobs.recoverInterrupted(0);
    expect(jobs.readiness()).toEqual({ ready: true });
  });
});
