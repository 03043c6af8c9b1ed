// The runner on a real SQLite job store with fake steps: dependency order, parallel branches, transitions
// written before they are acted on, checkpoints, failure and retry, verify runs and `only` runs.
import { afterEach, describe, expect, it } from "vitest";
import { createJobService, InvalidSettingsError, JobRequestError, type RunEvent } from "@/lib/jobs";
import type { Step, StepKey } from "@/lib/steps/types";
import { openTestDb, type TestDb } from "../support/test-db";
import { VALID_SETTINGS } from "../support/settings";
import { createEnvironment, deferred, fakeStep, stepRows, within, type Call, type FakeStepOptions } from "./support/fakes";

let t: TestDb | undefined;
afterEach(async () => t?.close());

/** identity → s3-role → s3-bucket, with the s3-role's behaviour given by the test. */
function s3Chain(calls: Call[], s3Role: Omit<FakeStepOptions, "dependsOn">): Step[] {
  return [
    fakeStep("identity", calls, { apply: async () => ({ accountId: "123456789012" }) }),
    fakeStep("s3-role", calls, { dependsOn: ["identity"], ...s3Role }),
    fakeStep("s3-bucket", calls, { dependsOn: ["s3-role"] }),
  ];
}

describe("runner", () => {
  it("runs steps in dependency order, independent ones in parallel, each transition stored before it is acted on", async () => {
    t = openTestDb();
    const db = t.db;
    const env = await createEnvironment(db);
    const calls: Call[] = [];
    const seenOwnRow: Record<string, [string, number]> = {};
    const seenDependencyRows: Record<string, Record<string, string>> = {};
    const started = new Set<string>();
    const bothRolesStarted = deferred();

    // Each fake step reads the store when it is called: its own row must already say running (attempt 1),
    // and every dependency must already be stored as succeeded.
    const observe = async (key: StepKey, deps: StepKey[], runId: () => string) => {
      const rows = await stepRows(db, runId());
      seenOwnRow[key] = [rows[key].status, rows[key].attempt];
      seenDependencyRows[key] = Object.fromEntries(deps.map((d) => [d, rows[d].status]));
    };
    let runId = "";
    const id = () => runId;
    const roleStep = (key: StepKey) =>
      fakeStep(key, calls, {
        dependsOn: ["discover"],
        async apply(ctx) {
          await observe(key, ["discover"], id);
          started.add(key);
          if (started.has("rds-role") && started.has("s3-role")) bothRolesStarted.resolve();
          // Neither role step finishes before the other has started: only parallel execution gets past here.
          await within(bothRolesStarted.promise, "both independent role steps to be running at once");
          await ctx.progress(0.5);
          await ctx.log("info", `${key} created`, `req-${key}`);
          return { roleArn: `arn:aws:iam::123456789012:role/${key}` };
        },
      });
    const steps = [
      fakeStep("identity", calls, {
        async apply() {
          await observe("identity", [], id);
          return { accountId: "123456789012" };
        },
      }),
      fakeStep("discover", calls, {
        dependsOn: ["identity"],
        async apply(ctx) {
          await observe("discover", ["identity"], id);
          expect(ctx.outputs).toEqual({ identity: { accountId: "123456789012" } });
          expect(ctx.env.bucketName).toBe(VALID_SETTINGS.bucketName);
          expect(ctx.environmentName).toBe("staging");
          return { oidcIssuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC" };
        },
      }),
      roleStep("rds-role"),
      roleStep("s3-role"),
      fakeStep("s3-bucket", calls, {
        dependsOn: ["s3-role"],
        async apply(ctx) {
          await observe("s3-bucket", ["s3-role"], id);
          return { bucketArn: `arn:aws:s3:::${ctx.env.bucketName}`, roleSeen: String(ctx.outputs["s3-role"]?.roleArn) };
        },
      }),
    ];
    const jobs = createJobService({ db, steps, heartbeatMs: 20 });
    const events: RunEvent[] = [];

    ({ runId } = await jobs.startRun({ environmentId: env.id, kind: "apply", actor: "ada", plan: { changes: 3 } }));
    const unsubscribe = jobs.subscribe(runId, (e) => events.push(e));
    const view = await within(jobs.waitForRun(runId), "the run to finish");
    unsubscribe();

    expect(view?.status).toBe("succeeded");
    expect(view?.plan).toEqual({ changes: 3 });
    const order = calls.map((c) => c.key);
    expect(order.slice(0, 2)).toEqual(["identity", "discover"]);
    expect(order.indexOf("s3-bucket")).toBeGreaterThan(order.indexOf("s3-role"));
    expect(new Set(order)).toEqual(new Set(["identity", "discover", "rds-role", "s3-role", "s3-bucket"]));

    for (const key of order) expect(seenOwnRow[key]).toEqual(["running", 1]);
    expect(seenDependencyRows["discover"]).toEqual({ identity: "succeeded" });
    expect(seenDependencyRows["s3-role"]).toEqual({ discover: "succeeded" });
    expect(seenDependencyRows["s3-bucket"]).toEqual({ "s3-role": "succeeded" });
    // Outputs of every finished dependency, direct or not.
    expect(Object.keys(calls.find((c) => c.key === "s3-bucket")!.outputs).sort()).toEqual(["discover", "identity", "s3-role"]);

    const rows = await stepRows(db, runId);
    for (const row of Object.values(rows)) {
      expect([row.status, row.attempt, row.progress, row.error]).toEqual(["succeeded", 1, 1, null]);
      expect(row.startedAt!.getTime()).toBeLessThanOrEqual(row.finishedAt!.getTime());
    }
    expect(JSON.parse(rows["s3-bucket"].output!)).toEqual({
      bucketArn: "arn:aws:s3:::studio-shared-storage-staging",
      roleSeen: "arn:aws:iam::123456789012:role/s3-role",
    });
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect([run.status, run.actor, run.error]).toEqual(["succeeded", "ada", null]);
    expect(run.startedAt).not.toBeNull();
    expect(run.finishedAt).not.toBeNull();
    expect(JSON.parse(run.settings!)).toMatchObject({ bucketName: VALID_SETTINGS.bucketName, iamDbUser: "studio_iam_user" });

    // The view: steps in catalogue order with titles, durations and parsed outputs.
    expect(view?.steps.map((s) => s.key)).toEqual(["identity", "discover", "rds-role", "s3-role", "s3-bucket"]);
    expect(view?.steps[0]).toMatchObject({ title: "Fake identity", status: "succeeded", output: { accountId: "123456789012" } });
    expect(view?.steps.every((s) => s.durationMs !== null && s.durationMs >= 0)).toBe(true);

    // Log lines with the AWS request id, readable after a given id (the SSE route's resume point).
    const logs = await jobs.logsSince(runId);
    const roleLine = logs.find((l) => l.message === "s3-role created")!;
    expect(roleLine).toMatchObject({ stepKey: "s3-role", level: "info", requestId: "req-s3-role" });
    expect(logs.at(-1)?.message).toBe("Run succeeded");
    const after = await jobs.logsSince(runId, roleLine.id);
    expect(after.every((l) => l.id > roleLine.id)).toBe(true);
    expect(after.length).toBeGreaterThan(0);

    // Live events: each step running before succeeded, and the run's own end.
    for (const key of order) {
      const statuses = events.filter((e) => e.type === "step" && e.key === key).map((e) => (e as { status: string }).status);
      expect(statuses.indexOf("running")).toBeLessThan(statuses.indexOf("succeeded"));
    }
    expect(events.filter((e) => e.type === "run").map((e) => (e as { status: string }).status)).toContain("succeeded");
    expect(events.some((e) => e.type === "log" && e.line.requestId === "req-rds-role")).toBe(true);
  });

  it("persists a checkpoint and progress at once, while the step is still running", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const calls: Call[] = [];
    const checkpointed = deferred();
    const release = deferred();
    const jobs = createJobService({
      db: t.db,
      steps: [
        fakeStep("identity", calls, {
          async apply(ctx) {
            await ctx.checkpoint({ roleArn: "arn:aws:iam::1:role/x" });
            await ctx.progress(0.25);
            checkpointed.resolve();
            await release.promise;
            return { roleArn: "arn:aws:iam::1:role/x", done: true };
          },
        }),
      ],
    });
    const { runId } = await jobs.startRun({ environmentId: env.id, kind: "apply", actor: "ada" });
    await within(checkpointed.promise, "the checkpoint");
    const row = (await stepRows(t.db, runId)).identity;
    expect([row.status, JSON.parse(row.output!), row.progress]).toEqual(["running", { roleArn: "arn:aws:iam::1:role/x" }, 0.25]);
    release.resolve();
    expect((await jobs.waitForRun(runId))?.steps[0].output).toEqual({ roleArn: "arn:aws:iam::1:role/x", done: true });
  });

  it("writes a heartbeat on the run while it is running", async () => {
    t = openTestDb();
    const db = t.db;
    const env = await createEnvironment(db);
    const release = deferred();
    const running = deferred();
    const jobs = createJobService({
      db,
      heartbeatMs: 5,
      steps: [fakeStep("identity", [], { apply: async () => (running.resolve(), await release.promise, {}) })],
    });
    const { runId } = await jobs.startRun({ environmentId: env.id, kind: "apply", actor: "ada" });
    await within(running.promise, "the step to run");
    const first = (await db.run.findUniqueOrThrow({ where: { id: runId } })).heartbeatAt!;
    const beat = (async () => {
      for (;;) {
        const now = (await db.run.findUniqueOrThrow({ where: { id: runId } })).heartbeatAt!;
        if (now.getTime() > first.getTime()) return;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await within(beat, "a newer heartbeat");
    release.resolve();
    expect((await jobs.waitForRun(runId))?.status).toBe("succeeded");
  });

  it("fails a step with its message, leaves its dependants pending, finishes independent ones; retryStep continues", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const calls: Call[] = [];
    let s3RoleAttempts = 0;
    const jobs = createJobService({
      db: t.db,
      steps: [
        ...s3Chain(calls, {
          async apply() {
            s3RoleAttempts++;
            if (s3RoleAttempts === 1) throw new Error("AccessDenied: iam:CreateRole denied for arn:aws:iam::123456789012:user/ci");
            return { roleArn: "arn:aws:iam::123456789012:role/s3" };
          },
        }),
        fakeStep("rds-role", calls, { dependsOn: ["identity"] }),
      ],
    });
    const { runId } = await jobs.startRun({ environmentId: env.id, kind: "apply", actor: "ada" });
    const failed = await jobs.waitForRun(runId);

    expect(failed?.status).toBe("failed");
    expect(failed?.error).toBe("Step s3-role failed");
    const byKey = Object.fromEntries(failed!.steps.map((s) => [s.key, s]));
    expect(byKey["s3-role"]).toMatchObject({ status: "failed", attempt: 1, error: expect.stringContaining("iam:CreateRole") });
    expect(byKey["s3-bucket"]).toMatchObject({ status: "pending", attempt: 0 });
    expect(byKey["rds-role"]).toMatchObject({ status: "succeeded" });
    expect((await jobs.logsSince(runId)).some((l) => l.level === "error" && l.stepKey === "s3-role")).toBe(true);

    await expect(jobs.retryStep(runId, "rds-role", "ada")).rejects.toBeInstanceOf(JobRequestError);
    await expect(jobs.retryStep(runId, "s3-bucket", "ada")).rejects.toThrow(/Step s3-bucket is pending: only a failed, interrupted or cancelled step can be retried/);

    await jobs.retryStep(runId, "s3-role", "ada");
    const retried = await jobs.waitForRun(runId);
    expect(retried?.status).toBe("succeeded");
    expect(retried?.error).toBeNull();
    const after = Object.fromEntries(retried!.steps.map((s) => [s.key, s]));
    expect(after["s3-role"]).toMatchObject({ status: "succeeded", attempt: 2, error: null });
    expect(after["s3-bucket"]).toMatchObject({ status: "succeeded", attempt: 1 });
    // Steps that had succeeded are not repeated; the dependant gets outputs finished in the earlier attempt.
    expect(calls.filter((c) => c.key === "identity")).toHaveLength(1);
    expect(calls.filter((c) => c.key === "rds-role")).toHaveLength(1);
    expect(calls.find((c) => c.key === "s3-bucket")!.outputs).toEqual({
      identity: { accountId: "123456789012" },
      "s3-role": { roleArn: "arn:aws:iam::123456789012:role/s3" },
    });
  });

  it("verify runs fail a step when a check is not ok, store the checks, and get the last apply's outputs", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const calls: Call[] = [];
    const jobs = createJobService({
      db: t.db,
      steps: s3Chain(calls, {
        apply: async () => ({ roleArn: "arn:aws:iam::123456789012:role/s3" }),
        verify: async (ctx) => [
          { name: "role exists", ok: true, detail: String(ctx.previous?.roleArn) },
          { name: "trust policy", ok: false, detail: "sub differs" },
        ],
      }),
    });
    const applied = await jobs.startRun({ environmentId: env.id, kind: "apply", actor: "ada" });
    expect((await jobs.waitForRun(applied.runId))?.status).toBe("succeeded");

    const { runId } = await jobs.startRun({ environmentId: env.id, kind: "verify", actor: "bob" });
    const view = await jobs.waitForRun(runId);
    expect(view?.kind).toBe("verify");
    expect(view?.status).toBe("failed");
    const role = view!.steps.find((s) => s.key === "s3-role")!;
    expect(role.status).toBe("failed");
    expect(role.error).toBe("1 of 2 checks failed: trust policy (sub differs)");
    expect(role.checks).toEqual([
      { name: "role exists", ok: true, detail: "arn:aws:iam::123456789012:role/s3" },
      { name: "trust policy", ok: false, detail: "sub differs" },
    ]);
    expect(view!.steps.find((s) => s.key === "identity")?.checks).toEqual([{ name: "identity exists", ok: true, detail: "found" }]);
    expect(view!.steps.find((s) => s.key === "s3-bucket")?.status).toBe("pending");
    const verifyCall = calls.find((c) => c.key === "s3-role" && c.method === "verify")!;
    // Every step's latest apply output, its own included (to compare with what is there now).
    expect(verifyCall.outputs).toEqual({
      identity: { accountId: "123456789012" },
      "s3-role": { roleArn: "arn:aws:iam::123456789012:role/s3" },
      "s3-bucket": { done: "s3-bucket" },
    });
  });

  it("runs only the chosen steps, skipping the rest and reusing their outputs from the previous run", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const calls: Call[] = [];
    const jobs = createJobService({
      db: t.db,
      steps: s3Chain(calls, { apply: async () => ({ roleArn: "arn:role/s3" }) }),
    });
    await jobs.waitForRun((await jobs.startRun({ environmentId: env.id, kind: "apply", actor: "ada" })).runId);
    calls.length = 0;

    const { runId } = await jobs.startRun({ environmentId: env.id, kind: "apply", actor: "ada", only: ["s3-bucket"] });
    const view = await jobs.waitForRun(runId);
    expect(view?.status).toBe("succeeded");
    expect(view?.steps.map((s) => [s.key, s.status])).toEqual([
      ["identity", "skipped"],
      ["s3-role", "skipped"],
      ["s3-bucket", "succeeded"],
    ]);
    expect(calls.map((c) => c.key)).toEqual(["s3-bucket"]);
    expect(calls[0].outputs).toEqual({ identity: { accountId: "123456789012" }, "s3-role": { roleArn: "arn:role/s3" } });
  });

  it("refuses invalid settings naming the field, and unknown steps, without creating a run", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db, "staging", { ...VALID_SETTINGS, bucketName: "Not_A_Bucket" });
    const jobs = createJobService({ db: t.db, steps: [fakeStep("identity", [])] });
    const error = await jobs.startRun({ environmentId: env.id, kind: "apply", actor: "ada" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSettingsError);
    expect((error as InvalidSettingsError).fields).toHaveProperty("bucketName");
    expect((error as Error).message).toMatch(/"staging" has invalid settings: bucketName must be/);

    const good = await createEnvironment(t.db, "production");
    await expect(
      jobs.startRun({ environmentId: good.id, kind: "apply", actor: "ada", only: ["s3-bucket"] }),
    ).rejects.toThrow(/only lists "s3-bucket", which is not a step/);
    expect(await t.db.run.count()).toBe(0);
  });

  it("refuses a step catalogue with a cycle or an unknown dependency", () => {
    t = undefined;
    const db = {} as never;
    expect(() =>
      createJobService({ db, steps: [fakeStep("identity", [], { dependsOn: ["discover"] }), fakeStep("discover", [], { dependsOn: ["identity"] })] }),
    ).toThrow(/cycle: identity → discover → identity/);
    expect(() => createJobService({ db, steps: [fakeStep("identity", [], { dependsOn: ["discover"] })] })).toThrow(
      /depends on "discover", which is not in the step catalogue/,
    );
  });
});
