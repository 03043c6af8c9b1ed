// A run abandoned mid-way (as if the process died) is found by a new service on the same SQLite file, marked
// interrupted, and resumed to convergence without creating anything twice; a resume that would need a change
// the admin never reviewed is refused.
import { describe, expect, it } from "vitest";
import { createJobService, type RunEvent } from "@/lib/jobs";
import type { ChangeResult, ExecuteContext, Step } from "@/lib/steps/types";
import { changeId, createEnvironment, deferred, FakeCloud, fakeStep, never, resourceOf, stepRows, storedProgress, within, type Call } from "./support/fakes";
import { openDbPerTest } from "./support/open-db";
import { reviewPlan, startApply } from "./support/plan";

const open = openDbPerTest();

type Execute = (ctx: ExecuteContext, resource: string, make: () => Promise<ChangeResult>) => Promise<ChangeResult>;

/** identity → rds-role → rds-iam-auth; identity → s3-role → s3-bucket. */
function catalogue(cloud: FakeCloud, calls: Call[], rdsRole?: Execute): Step[] {
  return [
    fakeStep("identity", cloud, calls),
    fakeStep("rds-role", cloud, calls, { dependsOn: ["identity"], execute: rdsRole }),
    fakeStep("rds-iam-auth", cloud, calls, { dependsOn: ["rds-role"] }),
    fakeStep("s3-role", cloud, calls, { dependsOn: ["identity"] }),
    fakeStep("s3-bucket", cloud, calls, { dependsOn: ["s3-role"] }),
  ];
}

function waitForStep(jobs: { subscribe: (id: string, l: (e: RunEvent) => void) => () => void }, runId: string, key: string, status: string) {
  const seen = deferred();
  const off = jobs.subscribe(runId, (e) => {
    if (e.type === "step" && e.key === key && e.status === status) seen.resolve();
  });
  return seen.promise.finally(off);
}

describe("recovery", () => {
  it("marks an abandoned run interrupted in a new service and resumes it: a change made before the crash is not repeated", async () => {
    const first = open();
    const env = await createEnvironment(first.db);
    const cloud = new FakeCloud();
    const calls: Call[] = [];
    const createdThenDied = deferred();

    // The first process: rds-role's call is accepted (the role exists), then the process "dies" before the
    // checkpoint that would have recorded it as done.
    const dying = createJobService({
      db: first.db,
      steps: catalogue(cloud, calls, async (_ctx, _name, make) => {
        await make();
        createdThenDied.resolve();
        return never();
      }),
      heartbeatMs: 600_000,
    });
    const { runId } = await startApply(dying, first.db, env.id, catalogue(cloud, []));
    const bucketDone = waitForStep(dying, runId, "s3-bucket", "succeeded");
    await within(createdThenDied.promise, "rds-role to create its role");
    await within(bucketDone, "the independent S3 branch to finish");
    expect(cloud.created.sort()).toEqual(["identity", "rds-role", "s3-bucket", "s3-role"]);
    // Drop the first service: its connection closes, its execution never finishes.
    await first.close();

    // A new server on the same file.
    const second = open(first.file);
    const calls2: Call[] = [];
    const jobs = createJobService({ db: second.db, steps: catalogue(cloud, calls2), staleAfterMs: 60_000 });
    // A fresh heartbeat is not stale under the default threshold; at server start the threshold is 0.
    expect(await jobs.recoverInterrupted()).toEqual([]);
    expect(await jobs.recoverInterrupted(0)).toEqual([runId]);

    const interrupted = await jobs.runView(runId);
    expect(interrupted?.status).toBe("interrupted");
    expect(interrupted?.steps.map((s) => [s.key, s.status])).toEqual([
      ["identity", "succeeded"],
      ["rds-role", "interrupted"],
      ["rds-iam-auth", "pending"],
      ["s3-role", "succeeded"],
      ["s3-bucket", "succeeded"],
    ]);
    // What the dead attempt left: the intent of the call it started, not yet done.
    expect(interrupted!.steps.find((s) => s.key === "rds-role")!.output).toEqual({
      intents: [{ id: changeId("rds-role"), call: "fake:Create", resource: resourceOf("rds-role") }],
      done: [],
      results: {},
      partial: {},
    });
    expect((await jobs.logsSince(runId)).at(-1)?.message).toMatch(/^Interrupted: the process running it stopped/);

    await jobs.resumeRun(runId, "bob");
    const resumed = await within(jobs.waitForRun(runId), "the resumed run");
    expect(resumed?.status).toBe("succeeded");
    // Converged: the role made by the dead attempt is not created again, finished steps are not repeated.
    expect(calls2.map((c) => c.step)).toEqual(["rds-iam-auth"]);
    expect(cloud.created.sort()).toEqual(["identity", "rds-iam-auth", "rds-role", "s3-bucket", "s3-role"]);
    const rows = await stepRows(second.db, runId);
    expect([rows["rds-role"].status, rows["rds-role"].attempt]).toEqual(["succeeded", 2]);
    expect(storedProgress(rows["rds-role"])).toMatchObject({ done: [changeId("rds-role")] });
    expect(storedProgress(rows["rds-role"]).intent).toBeUndefined();
    const logs = await jobs.logsSince(runId);
    expect(logs.some((l) => l.message.startsWith("Resumed by bob"))).toBe(true);
    expect(
      logs.some(
        (l) =>
          l.stepKey === "rds-role" &&
          l.message === `fake:Create ${resourceOf("rds-role")}: made by the interrupted attempt (accepted before the process stopped); not repeated`,
      ),
    ).toBe(true);
  });

  it("refuses a resumed run that would need a change the reviewed plan does not contain", async () => {
    const first = open();
    const env = await createEnvironment(first.db);
    const cloud = new FakeCloud();
    cloud.put("rds-iam-auth"); // reviewed as unchanged
    const died = deferred();
    const dying = createJobService({
      db: first.db,
      steps: catalogue(cloud, [], async () => (died.resolve(), never())),
      heartbeatMs: 600_000,
    });
    const { runId, plan } = await startApply(dying, first.db, env.id, catalogue(cloud, []));
    expect(plan.plan.steps.find((s) => s.key === "rds-iam-auth")!.changes.map((c) => c.action)).toEqual(["unchanged"]);
    const bucketDone = waitForStep(dying, runId, "s3-bucket", "succeeded");
    await within(died.promise, "rds-role to start its call");
    await within(bucketDone, "the independent S3 branch to finish");
    await first.close();

    // While the run is down, someone deletes what the plan found in place: resuming would now create it.
    cloud.remove("rds-iam-auth");
    const second = open(first.file);
    const calls: Call[] = [];
    const jobs = createJobService({ db: second.db, steps: catalogue(cloud, calls) });
    expect(await jobs.recoverInterrupted(0)).toEqual([runId]);
    await jobs.resumeRun(runId, "bob");
    const view = await within(jobs.waitForRun(runId), "the refused resume");
    expect(view?.status).toBe("failed");
    expect(view?.error).toBe("changes are needed that the reviewed plan does not contain: refresh the plan and review it again");
    expect(calls).toEqual([]);
    expect(view?.steps.map((s) => [s.key, s.status])).toEqual([
      ["identity", "succeeded"],
      ["rds-role", "interrupted"],
      ["rds-iam-auth", "pending"],
      ["s3-role", "succeeded"],
      ["s3-bucket", "succeeded"],
    ]);
    const changed = (await jobs.logsSince(runId)).filter((l) => l.message.startsWith("changed since the review: ")).map((l) => l.message);
    expect(changed).toEqual([`changed since the review: fake:Create ${resourceOf("rds-iam-auth")}: create, not in the reviewed plan`]);

    // A new review of the account as it is applies what is left.
    const fresh = await reviewPlan(second.db, env.id, catalogue(cloud, []));
    const again = await jobs.startRun({ environmentId: env.id, kind: "apply", planId: fresh.id, actor: "bob" });
    expect((await within(jobs.waitForRun(again.runId), "the new apply"))?.status).toBe("succeeded");
    expect(cloud.created.filter((n) => n === "rds-iam-auth")).toEqual(["rds-iam-auth"]);
  });

  it("a worker that lost its run (recovered and resumed elsewhere) is told through its signal and writes nothing", async () => {
    const a = open();
    const env = await createEnvironment(a.db);
    const cloud = new FakeCloud();
    const reached = deferred();
    const release = deferred();
    let oldSignal: AbortSignal | undefined;
    const oldWorker = createJobService({
      db: a.db,
      steps: catalogue(cloud, [], async (ctx, _name, make) => {
        oldSignal = ctx.signal;
        const made = await make();
        reached.resolve();
        await release.promise; // a slow call that ignores the signal
        return made;
      }),
      heartbeatMs: 10,
    });
    const { runId } = await startApply(oldWorker, a.db, env.id, catalogue(cloud, []));
    const bucketDone = waitForStep(oldWorker, runId, "s3-bucket", "succeeded");
    await within(reached.promise, "rds-role to be running");
    await within(bucketDone, "the independent S3 branch to finish");

    const b = open(a.file);
    const newWorker = createJobService({ db: b.db, steps: catalogue(cloud, []) });
    // A cutoff in the future: the old owner's heartbeat, however recent, cannot keep the run (it plays a process
    // that is gone but whose timer still fires).
    expect(await newWorker.recoverInterrupted(-60_000)).toEqual([runId]);
    await newWorker.resumeRun(runId, "bob");
    expect((await within(newWorker.waitForRun(runId), "the resumed run"))?.status).toBe("succeeded");

    // The old owner's heartbeat finds the run is no longer its own and aborts its steps.
    const aborted = deferred();
    if (oldSignal!.aborted) aborted.resolve();
    else oldSignal!.addEventListener("abort", () => aborted.resolve());
    await within(aborted.promise, "the old worker to notice it lost the run");
    const before = { logs: await b.db.runLog.count({ where: { runId } }), steps: JSON.stringify(await stepRows(b.db, runId)) };
    release.resolve();
    await within(oldWorker.waitForRun(runId), "the old execution to stop");

    // Nothing the old worker did after losing the run reached the store.
    expect(await b.db.runLog.count({ where: { runId } })).toBe(before.logs);
    expect(JSON.stringify(await stepRows(b.db, runId))).toBe(before.steps);
    const rows = await stepRows(b.db, runId);
    expect([rows["rds-role"].status, rows["rds-role"].attempt]).toEqual(["succeeded", 2]);
    expect((await b.db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("succeeded");
    expect(cloud.created.sort()).toEqual(["identity", "rds-iam-auth", "rds-role", "s3-bucket", "s3-role"]);
  });
});
