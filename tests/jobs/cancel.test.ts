// Cancel stops between actions: the AbortSignal reaches running changes, no further step starts, a change that
// ignores the signal stops at the checkpoint after it, and unfinished steps end `cancelled`.
import { describe, expect, it } from "vitest";
import { createJobService, JobRequestError, type RunEvent } from "@/lib/jobs";
import { changeId, createEnvironment, deferred, FakeCloud, fakeStep, stepRows, within, type Call } from "./support/fakes";
import { openDbPerTest } from "./support/open-db";
import { reviewPlan, startApply } from "./support/plan";

const open = openDbPerTest();

/** Waits like an SDK call given `abortSignal`: rejects with the signal's reason when it fires. */
function abortableWait(signal: AbortSignal, onAbort: () => void) {
  return new Promise<never>((_, reject) => {
    signal.addEventListener("abort", () => {
      onAbort();
      reject(signal.reason);
    });
  });
}

describe("cancel", () => {
  it("fires the AbortSignal of running steps, starts nothing else and marks the run and unfinished steps cancelled", async () => {
    const t = open();
    const env = await createEnvironment(t.db);
    const cloud = new FakeCloud();
    const calls: Call[] = [];
    const waiting = deferred();
    let abortSeen = false;
    const steps = [
      fakeStep("rds-iam-auth", cloud, calls, {
        async execute(ctx) {
          waiting.resolve();
          return abortableWait(ctx.signal, () => (abortSeen = true));
        },
      }),
      fakeStep("db-grants", cloud, calls, { dependsOn: ["rds-iam-auth"] }),
    ];
    const jobs = createJobService({ db: t.db, steps });
    const { runId } = await startApply(jobs, t.db, env.id, steps);
    const events: RunEvent[] = [];
    jobs.subscribe(runId, (e) => events.push(e));
    await within(waiting.promise, "the waiting step");

    expect(await jobs.cancelRun(runId, "bob")).toEqual({ status: "running" });
    const view = await within(jobs.waitForRun(runId), "the cancelled run to stop");
    expect(abortSeen).toBe(true);
    expect(view?.status).toBe("cancelled");
    expect(view?.cancelRequested).toBe(true);
    expect(view?.steps.map((s) => [s.key, s.status])).toEqual([
      ["rds-iam-auth", "cancelled"],
      ["db-grants", "cancelled"],
    ]);
    expect(view?.steps[0].error).toMatch(/was cancelled/);
    expect(calls.map((c) => c.step)).toEqual(["rds-iam-auth"]);
    expect(cloud.created).toEqual([]);
    expect(events.some((e) => e.type === "run" && e.status === "cancelled")).toBe(true);
    expect((await jobs.logsSince(runId)).some((l) => l.message === "Cancel requested by bob")).toBe(true);

    // A cancelled run is finished: cancelling again is refused.
    await expect(jobs.cancelRun(runId, "bob")).rejects.toBeInstanceOf(JobRequestError);
  });

  it("stops a change that ignores the signal at the checkpoint after it, after storing it; resume runs only what is left", async () => {
    const t = open();
    const env = await createEnvironment(t.db);
    const cloud = new FakeCloud();
    const calls: Call[] = [];
    const inFirstAction = deferred();
    const finishFirstAction = deferred();
    const steps = [
      fakeStep("s3-bucket", cloud, calls, {
        resources: ["bucket", "versioning"],
        async execute(_ctx, name, make) {
          if (name === "bucket") {
            inFirstAction.resolve();
            await finishFirstAction.promise; // a call that does not take the signal
          }
          return make();
        },
      }),
    ];
    const jobs = createJobService({ db: t.db, steps });
    const { runId } = await startApply(jobs, t.db, env.id, steps);
    await within(inFirstAction.promise, "the first action");
    await jobs.cancelRun(runId, "ada");
    finishFirstAction.resolve();
    const view = await within(jobs.waitForRun(runId), "the run to stop");

    expect(cloud.created).toEqual(["bucket"]);
    expect(view?.status).toBe("cancelled");
    expect(view?.steps[0]).toMatchObject({
      status: "cancelled",
      output: { done: [changeId("s3-bucket", "bucket")], results: { [changeId("s3-bucket", "bucket")]: { arn: expect.any(String) } } },
    });
    expect(view?.steps[0].output).not.toHaveProperty("intent");

    // Resume: the cancelled step runs again; the bucket is in place, only the versioning is left to do.
    await jobs.resumeRun(runId, "ada");
    const resumed = await within(jobs.waitForRun(runId), "the resumed run");
    expect(resumed?.status).toBe("succeeded");
    expect(resumed?.steps[0]).toMatchObject({
      attempt: 2,
      output: { done: [changeId("s3-bucket", "bucket"), changeId("s3-bucket", "versioning")] },
    });
    expect(calls.map((c) => c.change)).toEqual([changeId("s3-bucket", "bucket"), changeId("s3-bucket", "versioning")]);
    expect(cloud.created).toEqual(["bucket", "versioning"]);
  });

  it("cancels an interrupted run directly, and a run executing in another service at its next heartbeat", async () => {
    const a = open();
    const env = await createEnvironment(a.db);
    const other = await createEnvironment(a.db, "production");
    const cloud = new FakeCloud();
    const running = deferred();
    let abortSeen = false;
    const steps = [
      fakeStep("identity", cloud, [], {
        async execute(ctx) {
          running.resolve();
          return abortableWait(ctx.signal, () => (abortSeen = true));
        },
      }),
    ];
    const otherPlan = await reviewPlan(a.db, other.id, steps);
    const interrupted = await a.db.run.create({
      data: { environmentId: other.id, kind: "apply", actor: "ada", status: "interrupted", planId: otherPlan.id, settings: JSON.stringify(otherPlan.settings) },
    });
    await a.db.stepRun.create({ data: { runId: interrupted.id, key: "identity", status: "interrupted", attempt: 1 } });

    const owner = createJobService({ db: a.db, heartbeatMs: 10, steps });
    const b = open(a.file);
    const elsewhere = createJobService({ db: b.db, steps: [fakeStep("identity", cloud, [])] });

    expect(await elsewhere.cancelRun(interrupted.id, "bob")).toEqual({ status: "cancelled" });
    expect((await stepRows(b.db, interrupted.id)).identity.status).toBe("cancelled");

    const { runId } = await startApply(owner, a.db, env.id, steps);
    await within(running.promise, "the step to run");
    expect(await elsewhere.cancelRun(runId, "bob")).toEqual({ status: "running" });
    const view = await within(owner.waitForRun(runId), "the owner to notice the cancel");
    expect(abortSeen).toBe(true);
    expect(view?.status).toBe("cancelled");
  });
});
