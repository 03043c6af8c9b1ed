// A run abandoned mid-way (as if the process died) is found by a new service on the same SQLite file, marked
// interrupted, and resumed to convergence without creating anything twice.
import { describe, expect, it } from "vitest";
import { createJobService, type RunEvent } from "@/lib/jobs";
import type { Step, StepContext } from "@/lib/steps/types";
import { createEnvironment, creatingStep, deferred, FakeCloud, fakeStep, stepRows, within, type Call } from "./support/fakes";
import { openDbPerTest } from "./support/open-db";

const open = openDbPerTest();

/** identity → rds-role (creates) → rds-iam-auth; identity → s3-role (creates) → s3-bucket. */
function catalogue(calls: Call[], cloud: FakeCloud, rdsRoleAfterCreate?: (ctx: StepContext) => Promise<void>): Step[] {
  return [
    fakeStep("identity", calls, { apply: async () => ({ accountId: "123456789012" }) }),
    creatingStep("rds-role", calls, cloud, { dependsOn: ["identity"], afterCreate: rdsRoleAfterCreate }),
    fakeStep("rds-iam-auth", calls, {
      dependsOn: ["rds-role"],
      apply: async (ctx) => ({ usedRole: String(ctx.outputs["rds-role"]?.arn) }),
    }),
    creatingStep("s3-role", calls, cloud, { dependsOn: ["identity"] }),
    fakeStep("s3-bucket", calls, { dependsOn: ["s3-role"] }),
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
  it("marks an abandoned run interrupted in a new service and resumes it with no duplicate creates", async () => {
    const first = open();
    const env = await createEnvironment(first.db);
    const cloud = new FakeCloud();
    const calls: Call[] = [];
    const createdThenDied = deferred();

    // The first process: rds-role creates its role, checkpoints it, and then the process "dies" (never returns).
    const dying = createJobService({
      db: first.db,
      steps: catalogue(calls, cloud, async () => {
        createdThenDied.resolve();
        await new Promise<never>(() => {});
      }),
      heartbeatMs: 600_000,
    });
    const { runId } = await dying.startRun({ environmentId: env.id, kind: "apply", actor: "ada" });
    const bucketDone = waitForStep(dying, runId, "s3-bucket", "succeeded");
    await within(createdThenDied.promise, "rds-role to create its role");
    await within(bucketDone, "the independent S3 branch to finish");
    expect(cloud.createCalls).toBe(2);
    // Drop the first service: its connection closes, its execution never finishes.
    await first.close();

    // A new server on the same file.
    const second = open(first.file);
    const calls2: Call[] = [];
    const jobs = createJobService({ db: second.db, steps: catalogue(calls2, cloud), staleAfterMs: 60_000 });
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
    const checkpoint = interrupted!.steps.find((s) => s.key === "rds-role")!.output;
    expect(checkpoint).toEqual({ arn: expect.stringMatching(/^arn:fake:rds-role:/) });
    expect((await jobs.logsSince(runId)).at(-1)?.message).toMatch(/^Interrupted: the process running it stopped/);

    await jobs.resumeRun(runId, "bob");
    const resumed = await within(jobs.waitForRun(runId), "the resumed run");
    expect(resumed?.status).toBe("succeeded");
    // Converged from the checkpoint: nothing created twice, finished steps not repeated.
    expect(cloud.createCalls).toBe(2);
    expect(calls2.map((c) => c.key)).toEqual(["rds-role", "rds-iam-auth"]);
    expect(calls2[0].previous).toEqual(checkpoint);
    expect(calls2[0].outputs).toEqual({ identity: { accountId: "123456789012" } });
    const rows = await stepRows(second.db, runId);
    expect([rows["rds-role"].status, rows["rds-role"].attempt]).toEqual(["succeeded", 2]);
    expect(JSON.parse(rows["rds-iam-auth"].output!)).toEqual({ usedRole: checkpoint!.arn });
    expect((await jobs.logsSince(runId)).some((l) => l.message.startsWith("Resumed by bob"))).toBe(true);
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
      steps: catalogue([], cloud, async (ctx) => {
        oldSignal = ctx.signal;
        reached.resolve();
        await release.promise; // a slow call that ignores the signal
      }),
      heartbeatMs: 10,
    });
    const { runId } = await oldWorker.startRun({ environmentId: env.id, kind: "apply", actor: "ada" });
    await within(reached.promise, "rds-role to be running");

    const b = open(a.file);
    const newWorker = createJobService({ db: b.db, steps: catalogue([], cloud) });
    expect(await newWorker.recoverInterrupted(0)).toEqual([runId]);
    await newWorker.resumeRun(runId, "bob");
    expect((await within(newWorker.waitForRun(runId), "the resumed run"))?.status).toBe("succeeded");

    // The old owner's heartbeat finds the run is no longer its own and aborts its steps.
    const aborted = deferred();
    if (oldSignal!.aborted) aborted.resolve();
    else oldSignal!.addEventListener("abort", () => aborted.resolve());
    await within(aborted.promise, "the old worker to notice it lost the run");
    release.resolve();
    await within(oldWorker.waitForRun(runId), "the old execution to stop");

    const rows = await stepRows(b.db, runId);
    expect([rows["rds-role"].status, rows["rds-role"].attempt]).toEqual(["succeeded", 2]);
    expect((await b.db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("succeeded");
    expect(cloud.createCalls).toBe(2);
  });
});
