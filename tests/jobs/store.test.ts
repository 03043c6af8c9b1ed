// The store's guarantees: conditional transitions refuse a second claim, and the database itself allows one
// active run per environment.
import { afterEach, describe, expect, it } from "vitest";
import { ActiveRunError, TransitionConflictError } from "@/lib/jobs/errors";
import {
  claimStep,
  createRun,
  findStaleRuns,
  finishStep,
  heartbeat,
  interruptStaleRun,
  markPlanChecked,
  transitionRun,
  type NewRun,
} from "@/lib/jobs/store";
import { openTestDb, type TestDb } from "../support/test-db";
import { createEnvironment, FakeCloud, fakeStep } from "./support/fakes";
import { reviewPlan } from "./support/plan";

let t: TestDb | undefined;
afterEach(async () => t?.close());

function newRun(environmentId: string): NewRun {
  return {
    environmentId,
    kind: "apply",
    actor: "ada",
    planId: null,
    settings: "{}",
    steps: [
      { key: "identity", position: 0, status: "pending" },
      { key: "discover", position: 1, status: "pending" },
    ],
  };
}

describe("job store", () => {
  it("lets exactly one of two concurrent claims of a queued run win", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const run = await createRun(t.db, newRun(env.id));
    const results = await Promise.allSettled([
      transitionRun(t.db, run.id, ["queued"], "running", { workerId: "w1" }),
      transitionRun(t.db, run.id, ["queued"], "running", { workerId: "w2" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(TransitionConflictError);
    expect(String(refused.reason.message)).toMatch(/cannot become running: it is no longer queued/);
    const row = await t.db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(row.status).toBe("running");
    expect(row.startedAt).not.toBeNull();
    // Only the winner's heartbeat counts.
    expect((await heartbeat(t.db, run.id, row.workerId!)).owned).toBe(true);
    expect((await heartbeat(t.db, run.id, row.workerId === "w1" ? "w2" : "w1")).owned).toBe(false);
  });

  it("refuses a second claim of the same step attempt and fences writes of an old attempt", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const run = await createRun(t.db, newRun(env.id));
    const claims = await Promise.allSettled([
      claimStep(t.db, run.id, "identity", ["pending"], 0),
      claimStep(t.db, run.id, "identity", ["pending"], 0),
    ]);
    expect(claims.map((c) => c.status).sort()).toEqual(["fulfilled", "rejected"]);
    const attempt = (claims.find((c) => c.status === "fulfilled") as PromiseFulfilledResult<number>).value;
    expect(attempt).toBe(1);

    await finishStep(t.db, run.id, "identity", 1, "failed", { error: "boom" });
    expect(await claimStep(t.db, run.id, "identity", ["failed"], 1)).toBe(2);
    // A worker still holding attempt 1 can no longer write over attempt 2.
    await expect(finishStep(t.db, run.id, "identity", 1, "succeeded", { output: "{}" })).rejects.toBeInstanceOf(
      TransitionConflictError,
    );
    await finishStep(t.db, run.id, "identity", 2, "succeeded", { output: '{"accountId":"1"}' });
    const step = await t.db.stepRun.findFirstOrThrow({ where: { runId: run.id, key: "identity" } });
    expect([step.status, step.attempt, step.output, step.progress]).toEqual(["succeeded", 2, '{"accountId":"1"}', 1]);
  });

  it("allows one queued or running run per environment, and another once it has finished", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const other = await createEnvironment(t.db, "production");
    const first = await createRun(t.db, newRun(env.id));
    const error = await createRun(t.db, newRun(env.id)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActiveRunError);
    expect((error as ActiveRunError).activeRunId).toBe(first.id);
    expect((error as Error).message).toMatch(/already has an active run/);
    // Another environment is not affected.
    await createRun(t.db, newRun(other.id));

    await transitionRun(t.db, first.id, ["queued"], "running", { workerId: "w1" });
    await expect(createRun(t.db, newRun(env.id))).rejects.toBeInstanceOf(ActiveRunError);
    await transitionRun(t.db, first.id, ["running"], "failed", { error: "x" });
    const second = await createRun(t.db, newRun(env.id));

    // Resuming the failed run while the second is active is refused by the same index.
    await expect(transitionRun(t.db, first.id, ["failed"], "running", { workerId: "w1" })).rejects.toBeInstanceOf(
      ActiveRunError,
    );
    expect((await t.db.run.findUniqueOrThrow({ where: { id: second.id } })).status).toBe("queued");
  });

  it("stores the saved plan a run executes, its skipped steps, and when the plan was checked", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const plan = await reviewPlan(t.db, env.id, [fakeStep("identity", new FakeCloud(), [])]);
    const run = await createRun(t.db, {
      ...newRun(env.id),
      planId: plan.id,
      steps: [
        { key: "identity", position: 0, status: "pending" },
        { key: "copy-models", position: 1, status: "skipped" },
      ],
    });
    const stored = await t.db.run.findUniqueOrThrow({ where: { id: run.id }, include: { steps: { orderBy: { position: "asc" } } } });
    expect([stored.planId, stored.planCheckedAt]).toEqual([plan.id, null]);
    expect(stored.steps.map((s) => [s.key, s.status, s.attempt])).toEqual([
      ["identity", "pending", 0],
      ["copy-models", "skipped", 0],
    ]);
    await markPlanChecked(t.db, run.id);
    expect((await t.db.run.findUniqueOrThrow({ where: { id: run.id } })).planCheckedAt).toBeInstanceOf(Date);
  });

  it("finds runs whose heartbeat is stale and interrupts them only while still stale", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const run = await createRun(t.db, newRun(env.id));
    await transitionRun(t.db, run.id, ["queued"], "running", { workerId: "w1" });
    const old = new Date(Date.now() - 60_000);
    await t.db.run.update({ where: { id: run.id }, data: { heartbeatAt: old } });
    const cutoff = new Date(Date.now() - 30_000);
    expect((await findStaleRuns(t.db, cutoff)).map((r) => r.id)).toEqual([run.id]);
    // The owner heartbeats before the recovery's conditional update lands: the run stays running.
    await heartbeat(t.db, run.id, "w1");
    expect(await interruptStaleRun(t.db, run.id, cutoff)).toBe(false);
    expect(await findStaleRuns(t.db, cutoff)).toEqual([]);
    expect(await interruptStaleRun(t.db, run.id, new Date(Date.now() + 1000))).toBe(true);
    expect((await t.db.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("interrupted");
  });
});
