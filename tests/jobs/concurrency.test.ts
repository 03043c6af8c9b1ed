// One active run per environment, whoever asks: two startRun calls at once, on one service or on two services
// sharing the SQLite file, leave exactly one run; two resumes of the same run leave exactly one owner.
import { describe, expect, it } from "vitest";
import type { SavedPlan } from "@/lib/environments/plans";
import { ActiveRunError, createJobService, TransitionConflictError } from "@/lib/jobs";
import type { Db } from "@/lib/db-client";
import { testSettings } from "../support/settings";
import { createEnvironment, deferred, FakeCloud, fakeStep, within } from "./support/fakes";
import { openDbPerTest } from "./support/open-db";
import { reviewPlan } from "./support/plan";

const open = openDbPerTest();

/** A catalogue whose only step waits for the test to let it finish, so the first run stays active. */
function gatedSteps(cloud: FakeCloud, gate: Promise<void>) {
  return [fakeStep("identity", cloud, [], { execute: async (_ctx, _n, make) => (await gate, make()) })];
}

/** Two services on one SQLite file, as two processes of the console would be, both with the gated catalogue. */
async function twoServicesOnOneFile() {
  const a = open();
  const b = open(a.file);
  const env = await createEnvironment(a.db);
  const gate = deferred();
  const cloud = new FakeCloud();
  const steps = gatedSteps(cloud, gate.promise);
  const first = createJobService({ db: a.db, steps });
  const second = createJobService({ db: b.db, steps: gatedSteps(cloud, gate.promise) });
  const plan = await reviewPlan(a.db, env.id, steps);
  return { a, env, gate, cloud, first, second, plan };
}

/** A run a dead process left interrupted, executing `plan`, with its one step interrupted. */
async function interruptedRun(db: Db, plan: SavedPlan) {
  const run = await db.run.create({
    data: { environmentId: plan.environmentId, kind: "apply", actor: "ada", status: "interrupted", planId: plan.id, settings: JSON.stringify(plan.settings) },
  });
  await db.stepRun.create({ data: { runId: run.id, key: "identity", status: "interrupted", attempt: 1 } });
  return run;
}

describe("one active run per environment", () => {
  it("refuses the second of two concurrent starts on one service, and allows a new run once it ended", async () => {
    const t = open();
    const env = await createEnvironment(t.db);
    const gate = deferred();
    const cloud = new FakeCloud();
    const steps = gatedSteps(cloud, gate.promise);
    const jobs = createJobService({ db: t.db, steps });
    const plan = await reviewPlan(t.db, env.id, steps);
    const results = await Promise.allSettled([
      jobs.startRun({ environmentId: env.id, kind: "apply", planId: plan.id, actor: "ada" }),
      jobs.startRun({ environmentId: env.id, kind: "apply", planId: plan.id, actor: "bob" }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toBeInstanceOf(ActiveRunError);
    const { runId } = (won[0] as PromiseFulfilledResult<{ runId: string }>).value;
    expect((lost[0].reason as ActiveRunError).activeRunId).toBe(runId);
    expect(await t.db.run.count()).toBe(1);
    expect(await t.db.stepRun.count()).toBe(1);

    // A verify while the apply is active is refused too.
    await expect(jobs.startRun({ environmentId: env.id, kind: "verify", settings: testSettings(), actor: "ada" })).rejects.toBeInstanceOf(
      ActiveRunError,
    );
    gate.resolve();
    expect((await jobs.waitForRun(runId))?.status).toBe("succeeded");
    expect(cloud.created).toEqual(["identity"]);
    const next = await jobs.startRun({ environmentId: env.id, kind: "verify", settings: testSettings(), actor: "ada" });
    expect((await jobs.waitForRun(next.runId))?.status).toBe("succeeded");
  });

  it("refuses the second of two concurrent starts from two services on the same file", async () => {
    const { a, env, gate, cloud, first, second, plan } = await twoServicesOnOneFile();
    const results = await Promise.allSettled([
      first.startRun({ environmentId: env.id, kind: "apply", planId: plan.id, actor: "ada" }),
      second.startRun({ environmentId: env.id, kind: "apply", planId: plan.id, actor: "bob" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(ActiveRunError);
    expect(await a.db.run.count()).toBe(1);
    gate.resolve();
    const winner = results[0].status === "fulfilled" ? first : second;
    const { runId } = (results.find((r) => r.status === "fulfilled") as PromiseFulfilledResult<{ runId: string }>).value;
    expect((await within(winner.waitForRun(runId), "the winning run"))?.status).toBe("succeeded");
    expect(cloud.created).toEqual(["identity"]);
  });

  it("lets only one of two services resume the same interrupted run", async () => {
    const { a, gate, cloud, first, second, plan } = await twoServicesOnOneFile();
    const run = await interruptedRun(a.db, plan);

    const results = await Promise.allSettled([first.resumeRun(run.id, "ada"), second.resumeRun(run.id, "bob")]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refusal = (results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason;
    // Whichever check catches it: the run is no longer interrupted, or the environment now has an active run.
    expect(refusal instanceof TransitionConflictError || refusal instanceof ActiveRunError).toBe(true);
    gate.resolve();
    const winner = results[0].status === "fulfilled" ? first : second;
    expect((await within(winner.waitForRun(run.id), "the resumed run"))?.status).toBe("succeeded");
    const step = await a.db.stepRun.findFirstOrThrow({ where: { runId: run.id } });
    expect([step.status, step.attempt]).toEqual(["succeeded", 2]);
    expect(cloud.created).toEqual(["identity"]);
  });

  it("refuses to resume a run while another run of the environment is active", async () => {
    const t = open();
    const env = await createEnvironment(t.db);
    const gate = deferred();
    const steps = gatedSteps(new FakeCloud(), gate.promise);
    const jobs = createJobService({ db: t.db, steps });
    const plan = await reviewPlan(t.db, env.id, steps);
    const old = await interruptedRun(t.db, plan);
    const { runId } = await jobs.startRun({ environmentId: env.id, kind: "apply", planId: plan.id, actor: "ada" });
    const error = await jobs.resumeRun(old.id, "ada").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActiveRunError);
    expect((error as ActiveRunError).activeRunId).toBe(runId);
    expect((await t.db.run.findUniqueOrThrow({ where: { id: old.id } })).status).toBe("interrupted");
    gate.resolve();
    expect((await jobs.waitForRun(runId))?.status).toBe("succeeded");
  });
});
