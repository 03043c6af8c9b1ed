// Cancel stops between actions: the AbortSignal reaches running steps, no further step starts, a step that
// ignores the signal stops at its next checkpoint, and unfinished steps end `cancelled`.
import { describe, expect, it } from "vitest";
import { createJobService, JobRequestError, type RunEvent } from "@/lib/jobs";
import { createEnvironment, deferred, fakeStep, stepRows, within, type Call } from "./support/fakes";
import { openDbPerTest } from "./support/open-db";

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
    const calls: Call[] = [];
    const waiting = deferred();
    let abortSeen = false;
    const jobs = createJobService({
      db: t.db,
      steps: [
        fakeStep("rds-iam-auth", calls, {
          async apply(ctx) {
            waiting.resolve();
            return abortableWait(ctx.signal, () => (abortSeen = true));
          },
        }),
        fakeStep("db-grants", calls, { dependsOn: ["rds-iam-auth"] }),
      ],
    });
    const { runId } = await jobs.startRun({ environmentId: env.id, kind: "apply", actor: "ada" });
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
    expect(calls.map((c) => c.key)).toEqual(["rds-iam-auth"]);
    expect(events.some((e) => e.type === "run" && e.status === "cancelled")).toBe(true);
    expect((await jobs.logsSince(runId)).some((l) => l.message === "Cancel requested by bob")).toBe(true);

    // A cancelled run is finished: cancelling again is refused, resuming picks up the cancelled steps.
    await expect(jobs.cancelRun(runId, "bob")).rejects.toBeInstanceOf(JobRequestError);
  });

  it("stops a step that ignores the signal at its next checkpoint, after storing it", async () => {
    const t = open();
    const env = await createEnvironment(t.db);
    const inFirstAction = deferred();
    const finishFirstAction = deferred();
    const actions: string[] = [];
    const jobs = createJobService({
      db: t.db,
      steps: [
        fakeStep("s3-bucket", [], {
          async apply(ctx) {
            inFirstAction.resolve();
            await finishFirstAction.promise; // a call that does not take the signal
            actions.push("CreateBucket");
            await ctx.checkpoint({ bucketArn: "arn:aws:s3:::b" });
            actions.push("PutBucketVersioning");
            return { bucketArn: "arn:aws:s3:::b", versioning: "Enabled" };
          },
        }),
      ],
    });
    const { runId } = await jobs.startRun({ environmentId: env.id, kind: "apply", actor: "ada" });
    await within(inFirstAction.promise, "the first action");
    await jobs.cancelRun(runId, "ada");
    finishFirstAction.resolve();
    const view = await within(jobs.waitForRun(runId), "the run to stop");

    expect(actions).toEqual(["CreateBucket"]);
    expect(view?.status).toBe("cancelled");
    expect(view?.steps[0]).toMatchObject({ status: "cancelled", output: { bucketArn: "arn:aws:s3:::b" } });

    // Resume: the cancelled step runs again from its checkpoint.
    await jobs.resumeRun(runId, "ada");
    const resumed = await within(jobs.waitForRun(runId), "the resumed run");
    expect(resumed?.status).toBe("succeeded");
    expect(resumed?.steps[0]).toMatchObject({ attempt: 2, output: { bucketArn: "arn:aws:s3:::b", versioning: "Enabled" } });
  });

  it("cancels an interrupted run directly, and a run executing in another service at its next heartbeat", async () => {
    const a = open();
    const env = await createEnvironment(a.db);
    const other = await createEnvironment(a.db, "production");
    const interrupted = await a.db.run.create({
      data: { environmentId: other.id, kind: "apply", actor: "ada", status: "interrupted", settings: "{}" },
    });
    await a.db.stepRun.create({ data: { runId: interrupted.id, key: "identity", status: "interrupted", attempt: 1 } });

    const running = deferred();
    let abortSeen = false;
    const owner = createJobService({
      db: a.db,
      heartbeatMs: 10,
      steps: [
        fakeStep("identity", [], {
          async apply(ctx) {
            running.resolve();
            return abortableWait(ctx.signal, () => (abortSeen = true));
          },
        }),
      ],
    });
    const b = open(a.file);
    const elsewhere = createJobService({ db: b.db, steps: [fakeStep("identity", [])] });

    expect(await elsewhere.cancelRun(interrupted.id, "bob")).toEqual({ status: "cancelled" });
    expect((await stepRows(b.db, interrupted.id)).identity.status).toBe("cancelled");

    const { runId } = await owner.startRun({ environmentId: env.id, kind: "apply", actor: "ada" });
    await within(running.promise, "the step to run");
    expect(await elsewhere.cancelRun(runId, "bob")).toEqual({ status: "running" });
    const view = await within(owner.waitForRun(runId), "the owner to notice the cancel");
    expect(abortSeen).toBe(true);
    expect(view?.status).toBe("cancelled");
  });
});
