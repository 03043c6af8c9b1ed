// The runner on a real SQLite job store with fake steps: one observation, then the reviewed plan's changes in
// dependency order (parallel branches), transitions written before they are acted on, checkpoints, failure and
// retry, verify runs, steps the settings do not use, and the refusal of a plan the account has moved away from.
import { afterEach, describe, expect, it } from "vitest";
import {
  createJobService,
  EnvironmentNotFoundError,
  JobRequestError,
  type RunEvent,
  type StartRunInput,
} from "@/lib/jobs";
import { savePlan } from "@/lib/environments/plans";
import type { Step, StepKey } from "@/lib/steps/types";
import { openTestDb, type TestDb } from "../support/test-db";
import { testSettings, VALID_SETTINGS } from "../support/settings";
import {
  changeId,
  createEnvironment,
  deferred,
  FakeCloud,
  fakeStep,
  resourceOf,
  stepRows,
  storedProgress,
  within,
  type Call,
  type FakeStepOptions,
} from "./support/fakes";
import { reviewPlan, startApply } from "./support/plan";

let t: TestDb | undefined;
afterEach(async () => t?.close());

/** identity → s3-role → s3-bucket, with the s3-role's behaviour given by the test. */
function s3Chain(cloud: FakeCloud, calls: Call[], s3Role: Omit<FakeStepOptions, "dependsOn"> = {}): Step[] {
  return [
    fakeStep("identity", cloud, calls),
    fakeStep("s3-role", cloud, calls, { dependsOn: ["identity"], ...s3Role }),
    fakeStep("s3-bucket", cloud, calls, { dependsOn: ["s3-role"] }),
  ];
}

const byKey = <T extends { key: string }>(steps: T[]) => Object.fromEntries(steps.map((s) => [s.key, s]));

describe("runner", () => {
  it("observes every step once, then runs steps in dependency order, independent ones in parallel, each transition stored before it is acted on", async () => {
    t = openTestDb();
    const db = t.db;
    const env = await createEnvironment(db);
    const cloud = new FakeCloud();
    const calls: Call[] = [];
    const seenOwnRow: Record<string, unknown[]> = {};
    const seenDependencyRows: Record<string, Record<string, string>> = {};
    const intentLogged: Record<string, boolean> = {};
    const observedAfter: Record<string, string[]> = {};
    const started = new Set<string>();
    const bothRolesStarted = deferred();

    // Each fake change reads the store when it executes: its own row must already say running (attempt 1) with
    // this change as the stored intent, the intent must be in the log, and every dependency stored as succeeded.
    let runId = "";
    const look = async (key: StepKey, deps: StepKey[]) => {
      const rows = await stepRows(db, runId);
      seenOwnRow[key] = [rows[key].status, rows[key].attempt, (storedProgress(rows[key]).intents as { id?: string }[] | undefined)?.[0]?.id];
      seenDependencyRows[key] = Object.fromEntries(deps.map((d) => [d, rows[d].status]));
      const lines = await db.runLog.findMany({ where: { runId, stepKey: key } });
      intentLogged[key] = lines.some((l) => l.message === `→ fake:Create ${resourceOf(key)} (create)`);
    };
    const roleStep = (key: StepKey) =>
      fakeStep(key, cloud, calls, {
        dependsOn: ["discover"],
        observe: (ctx) => void (observedAfter[key] = Object.keys(ctx.facts)),
        async execute(ctx, _name, make) {
          await look(key, ["discover"]);
          started.add(key);
          if (started.has("rds-role") && started.has("s3-role")) bothRolesStarted.resolve();
          // Neither role step finishes before the other has started: only parallel execution gets past here.
          await within(bothRolesStarted.promise, "both independent role steps to be running at once");
          await ctx.progress(0.5);
          return make();
        },
      });
    const steps = [
      fakeStep("identity", cloud, calls, { execute: async (_ctx, _n, make) => (await look("identity", []), make()) }),
      fakeStep("discover", cloud, calls, {
        dependsOn: ["identity"],
        readsAfter: ["identity"],
        observe: (ctx) => void (observedAfter.discover = Object.keys(ctx.facts)),
        async execute(ctx, _n, make) {
          await look("discover", ["identity"]);
          expect(ctx.settings.bucketName).toBe(VALID_SETTINGS.bucketName);
          return make();
        },
      }),
      roleStep("rds-role"),
      roleStep("s3-role"),
      fakeStep("s3-bucket", cloud, calls, {
        dependsOn: ["s3-role"],
        execute: async (_ctx, _n, make) => (await look("s3-bucket", ["s3-role"]), make()),
      }),
    ];
    const jobs = createJobService({ db, steps, heartbeatMs: 20 });
    const events: RunEvent[] = [];

    const plan = await reviewPlan(db, env.id, steps);
    const readsBefore = cloud.reads.length;
    ({ runId } = await jobs.startRun({ environmentId: env.id, kind: "apply", planId: plan.id, actor: "ada" }));
    const unsubscribe = jobs.subscribe(runId, (e) => events.push(e));
    const view = await within(jobs.waitForRun(runId), "the run to finish");
    unsubscribe();

    expect(view?.status).toBe("succeeded");
    expect(view?.planId).toBe(plan.id);
    // One observation: every resource read once by the run, each step after the steps whose facts its reads need
    // (discover waits for identity), not after the steps it follows when applying (the roles wait for nothing).
    expect(cloud.reads.slice(readsBefore).sort()).toEqual(["discover", "identity", "rds-role", "s3-bucket", "s3-role"]);
    expect(observedAfter.discover).toContain("identity");
    expect(observedAfter["rds-role"]).not.toContain("discover");

    const order = calls.map((c) => c.step);
    expect(order.slice(0, 2)).toEqual(["identity", "discover"]);
    expect(order.indexOf("s3-bucket")).toBeGreaterThan(order.indexOf("s3-role"));
    expect(new Set(order)).toEqual(new Set(["identity", "discover", "rds-role", "s3-role", "s3-bucket"]));
    expect(cloud.created.sort()).toEqual(["discover", "identity", "rds-role", "s3-bucket", "s3-role"]);

    for (const key of order) {
      expect(seenOwnRow[key]).toEqual(["running", 1, changeId(key)]);
      expect(intentLogged[key]).toBe(true);
    }
    expect(seenDependencyRows["discover"]).toEqual({ identity: "succeeded" });
    expect(seenDependencyRows["s3-role"]).toEqual({ discover: "succeeded" });
    expect(seenDependencyRows["s3-bucket"]).toEqual({ "s3-role": "succeeded" });
    // Every change executes with the facts of the whole observation.
    expect(calls.find((c) => c.step === "s3-bucket")!.factKeys).toEqual(["discover", "identity", "rds-role", "s3-bucket", "s3-role"]);

    const rows = await stepRows(db, runId);
    for (const row of Object.values(rows)) {
      expect([row.status, row.attempt, row.progress, row.error]).toEqual(["succeeded", 1, 1, null]);
      expect(row.startedAt!.getTime()).toBeLessThanOrEqual(row.finishedAt!.getTime());
    }
    expect(storedProgress(rows["s3-bucket"])).toEqual({
      done: [changeId("s3-bucket")],
      results: { [changeId("s3-bucket")]: { arn: expect.stringMatching(/^arn:fake:s3-bucket:/) } },
      // Nothing stored mid-way: the change made its one call.
      partial: {},
    });
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect([run.status, run.actor, run.error, run.planId]).toEqual(["succeeded", "ada", null, plan.id]);
    expect(run.planCheckedAt).not.toBeNull();
    expect(run.startedAt).not.toBeNull();
    expect(run.finishedAt).not.toBeNull();
    // The plan's settings, as the run executes them.
    expect(JSON.parse(run.settings!)).toMatchObject({ bucketName: VALID_SETTINGS.bucketName, iamDbUser: "studio_iam_user" });

    // The view: steps in catalogue order with titles, durations and parsed outputs.
    expect(view?.steps.map((s) => s.key)).toEqual(["identity", "discover", "rds-role", "s3-role", "s3-bucket"]);
    expect(view?.steps[0]).toMatchObject({ title: "Fake identity", status: "succeeded", output: { done: [changeId("identity")] } });
    expect(view?.steps.every((s) => s.durationMs !== null && s.durationMs >= 0)).toBe(true);

    // Log lines with the AWS request id, readable after a given id (the SSE route's resume point).
    const logs = await jobs.logsSince(runId);
    expect(logs.some((l) => l.stepKey === null && /^The account matches the reviewed plan \(fingerprint [0-9a-f]{12}\)$/.test(l.message))).toBe(true);
    const roleLine = logs.find((l) => l.stepKey === "s3-role" && l.message.startsWith("created arn:fake:s3-role:"))!;
    expect(roleLine).toMatchObject({ level: "info", requestId: "req-s3-role" });
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

  it("applies a freshly reviewed plan once: every planned create runs, unchanged ones do not, and a second fresh plan changes nothing", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const cloud = new FakeCloud();
    const calls: Call[] = [];
    const steps = s3Chain(cloud, calls);
    cloud.put("s3-role"); // there before the review: planned as unchanged
    const jobs = createJobService({ db: t.db, steps });
    const { runId, plan } = await startApply(jobs, t.db, env.id, steps);
    expect(plan.plan.steps.flatMap((s) => s.changes.map((c) => [c.id, c.action]))).toEqual([
      [changeId("identity"), "create"],
      [changeId("s3-role"), "unchanged"],
      [changeId("s3-bucket"), "create"],
    ]);
    const view = await within(jobs.waitForRun(runId), "the apply");
    expect(view?.status).toBe("succeeded");
    expect(calls.map((c) => c.step)).toEqual(["identity", "s3-bucket"]);
    expect(cloud.created).toEqual(["identity", "s3-bucket"]);
    const logs = (await jobs.logsSince(runId)).map((l) => l.message);
    expect(logs).toContain("Fake s3-role: every change is already in place (unchanged)");

    // Converged: a new review plans nothing, its apply executes nothing.
    calls.length = 0;
    const again = await startApply(jobs, t.db, env.id, steps);
    expect(again.plan.plan.steps.flatMap((s) => s.changes.map((c) => c.action))).toEqual(["unchanged", "unchanged", "unchanged"]);
    expect((await within(jobs.waitForRun(again.runId), "the second apply"))?.status).toBe("succeeded");
    expect(calls).toEqual([]);
    expect(cloud.created).toEqual(["identity", "s3-bucket"]);
  });

  it("refuses an apply whose fresh observation differs from the reviewed plan, before any change executes, logging the differences", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const cloud = new FakeCloud();
    const calls: Call[] = [];
    const steps = s3Chain(cloud, calls);
    const jobs = createJobService({ db: t.db, steps });
    const plan = await reviewPlan(t.db, env.id, steps);
    // Between the review and the apply, someone else creates the bucket.
    const theirs = cloud.put("s3-bucket");

    const { runId } = await jobs.startRun({ environmentId: env.id, kind: "apply", planId: plan.id, actor: "ada" });
    const view = await within(jobs.waitForRun(runId), "the refused apply");
    expect(view?.status).toBe("failed");
    expect(view?.error).toMatch(/^the account changed since the plan was reviewed \(1 difference, listed in the log\): refresh the plan and review it again$/);
    expect(calls).toEqual([]);
    expect(cloud.created).toEqual([]);
    // Nothing started: every step still waits for an apply of a plan that matches.
    expect(view?.steps.map((s) => [s.key, s.status, s.attempt])).toEqual([
      ["identity", "pending", 0],
      ["s3-role", "pending", 0],
      ["s3-bucket", "pending", 0],
    ]);
    const logs = await jobs.logsSince(runId);
    const changed = logs.filter((l) => l.message.startsWith("changed since the review: "));
    expect(changed.map((l) => [l.level, l.message])).toEqual([["warn", `changed since the review: s3-bucket › s3-bucket: null → "${theirs}"`]]);
    expect(logs.some((l) => l.level === "error" && l.message.startsWith("Refused: the account changed since the plan was reviewed"))).toBe(true);
    expect((await t.db.run.findUniqueOrThrow({ where: { id: runId } })).planCheckedAt).toBeNull();

    // A fresh review of the account as it is now applies.
    const fresh = await startApply(jobs, t.db, env.id, steps);
    expect((await within(jobs.waitForRun(fresh.runId), "the fresh apply"))?.status).toBe("succeeded");
    expect(cloud.created).toEqual(["identity", "s3-role"]);
  });

  it("refuses an apply when the same facts give other changes than the reviewed plan shows", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const cloud = new FakeCloud();
    const calls: Call[] = [];
    const steps = s3Chain(cloud, calls);
    const reviewed = await reviewPlan(t.db, env.id, steps);
    // The same facts and fingerprint, but a plan whose bucket document is not what the console computes now.
    const tampered = structuredClone(reviewed.plan);
    const bucket = tampered.steps.find((s) => s.key === "s3-bucket")!.changes[0];
    bucket.document = bucket.document!.replace('"staging"', '"production"');
    const plan = await savePlan(t.db, { ...reviewed, plan: tampered });

    const jobs = createJobService({ db: t.db, steps });
    const { runId } = await jobs.startRun({ environmentId: env.id, kind: "apply", planId: plan.id, actor: "ada" });
    const view = await within(jobs.waitForRun(runId), "the refused apply");
    expect(view?.status).toBe("failed");
    expect(view?.error).toMatch(/computes other changes from the same facts than the reviewed plan shows/);
    expect(calls).toEqual([]);
    const changed = (await jobs.logsSince(runId)).filter((l) => l.message.startsWith("changed since the review: ")).map((l) => l.message);
    expect(changed).toEqual([
      `changed since the review: fake:Create ${resourceOf("s3-bucket")}: reviewed as create, now different`,
      `changed since the review: fake:Create ${resourceOf("s3-bucket")}: create, not in the reviewed plan`,
    ]);
  });

  it("persists a checkpoint and progress at once, while the step is still running, and hands the checkpoint to the change's next attempt", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const cloud = new FakeCloud();
    const calls: Call[] = [];
    const checkpointed = deferred();
    const release = deferred();
    let attempts = 0;
    const steps = [
      fakeStep("rds-iam-auth", cloud, calls, {
        // Like a long RDS modification: it stores what it asked for, then waits.
        async execute(ctx, _n, make) {
          attempts++;
          if (attempts === 1) {
            await ctx.checkpoint({ modification: "m-1" });
            await ctx.progress(0.25);
            checkpointed.resolve();
            await release.promise;
            throw new Error("the instance is still modifying");
          }
          return make();
        },
      }),
    ];
    const jobs = createJobService({ db: t.db, steps });
    const { runId } = await startApply(jobs, t.db, env.id, steps);
    await within(checkpointed.promise, "the checkpoint");
    const row = (await stepRows(t.db, runId))["rds-iam-auth"];
    expect([row.status, row.progress]).toEqual(["running", 0.25]);
    expect(storedProgress(row)).toEqual({
      intents: [{ id: changeId("rds-iam-auth"), call: "fake:Create", resource: resourceOf("rds-iam-auth") }],
      done: [],
      results: {},
      partial: { [changeId("rds-iam-auth")]: { modification: "m-1" } },
    });
    release.resolve();
    const failed = await within(jobs.waitForRun(runId), "the failed attempt");
    expect(failed?.steps[0]).toMatchObject({ status: "failed", error: "the instance is still modifying" });

    await jobs.retryStep(runId, "rds-iam-auth", "ada");
    const done = await within(jobs.waitForRun(runId), "the retry");
    expect(done?.status).toBe("succeeded");
    expect(calls.map((c) => c.previous)).toEqual([undefined, { modification: "m-1" }]);
    expect(done?.steps[0]).toMatchObject({
      attempt: 2,
      output: { done: [changeId("rds-iam-auth")], partial: { [changeId("rds-iam-auth")]: { modification: "m-1" } } },
    });
    expect(cloud.created).toEqual(["rds-iam-auth"]);
  });

  it("writes a heartbeat on the run while it is running", async () => {
    t = openTestDb();
    const db = t.db;
    const env = await createEnvironment(db);
    const release = deferred();
    const running = deferred();
    const steps = [
      fakeStep("identity", new FakeCloud(), [], { execute: async (_ctx, _n, make) => (running.resolve(), await release.promise, make()) }),
    ];
    const jobs = createJobService({ db, heartbeatMs: 5, steps });
    const { runId } = await startApply(jobs, db, env.id, steps);
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
    const cloud = new FakeCloud();
    const calls: Call[] = [];
    let s3RoleAttempts = 0;
    const steps = [
      ...s3Chain(cloud, calls, {
        async execute(_ctx, _n, make) {
          s3RoleAttempts++;
          if (s3RoleAttempts === 1) throw new Error("AccessDenied: iam:CreateRole denied for arn:aws:iam::123456789012:user/ci");
          return make();
        },
      }),
      fakeStep("rds-role", cloud, calls, { dependsOn: ["identity"] }),
    ];
    const jobs = createJobService({ db: t.db, steps });
    const { runId } = await startApply(jobs, t.db, env.id, steps);
    const failed = await jobs.waitForRun(runId);

    expect(failed?.status).toBe("failed");
    expect(failed?.error).toBe("Step “Fake s3-role” failed");
    const before = byKey(failed!.steps);
    expect(before["s3-role"]).toMatchObject({ status: "failed", attempt: 1, error: expect.stringContaining("iam:CreateRole") });
    expect(before["s3-bucket"]).toMatchObject({ status: "pending", attempt: 0 });
    expect(before["rds-role"]).toMatchObject({ status: "succeeded" });
    expect((await jobs.logsSince(runId)).some((l) => l.level === "error" && l.stepKey === "s3-role")).toBe(true);

    await expect(jobs.retryStep(runId, "rds-role", "ada")).rejects.toBeInstanceOf(JobRequestError);
    await expect(jobs.retryStep(runId, "s3-bucket", "ada")).rejects.toThrow(/Step s3-bucket is pending: only a failed, interrupted or cancelled step can be retried/);

    calls.length = 0;
    await jobs.retryStep(runId, "s3-role", "ada");
    const retried = await jobs.waitForRun(runId);
    expect(retried?.status).toBe("succeeded");
    expect(retried?.error).toBeNull();
    const after = byKey(retried!.steps);
    expect(after["s3-role"]).toMatchObject({ status: "succeeded", attempt: 2, error: null });
    expect(after["s3-bucket"]).toMatchObject({ status: "succeeded", attempt: 1 });
    expect(after["identity"]).toMatchObject({ status: "succeeded", attempt: 1 });
    // The step, then its dependant; steps that had succeeded are not repeated, nothing is created twice.
    expect(calls.map((c) => c.step)).toEqual(["s3-role", "s3-bucket"]);
    expect(cloud.created.sort()).toEqual(["identity", "rds-role", "s3-bucket", "s3-role"]);
  });

  it("verify runs check every change is unchanged, store the checks, fail a step that would still change, and execute nothing", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const cloud = new FakeCloud();
    const calls: Call[] = [];
    const steps = s3Chain(cloud, calls);
    const jobs = createJobService({ db: t.db, steps });
    const applied = await startApply(jobs, t.db, env.id, steps);
    expect((await jobs.waitForRun(applied.runId))?.status).toBe("succeeded");
    calls.length = 0;

    const good = await jobs.startRun({ environmentId: env.id, kind: "verify", settings: testSettings(), actor: "bob" });
    const ok = await within(jobs.waitForRun(good.runId), "the verify");
    expect([ok?.kind, ok?.status, ok?.planId]).toEqual(["verify", "succeeded", null]);
    expect(byKey(ok!.steps)["s3-role"].checks).toEqual([
      { name: `${resourceOf("s3-role")} (fake:Create)`, ok: true, detail: "matches the plan" },
    ]);

    // Someone deletes the role: the next verify fails that step and leaves its dependant pending.
    cloud.remove("s3-role");
    const { runId } = await jobs.startRun({ environmentId: env.id, kind: "verify", settings: testSettings(), actor: "bob" });
    const view = await within(jobs.waitForRun(runId), "the second verify");
    expect(view?.status).toBe("failed");
    const role = byKey(view!.steps)["s3-role"];
    expect(role.status).toBe("failed");
    expect(role.error).toBe(`1 of 1 checks failed: ${resourceOf("s3-role")} (fake:Create) (would still create: missing)`);
    expect(role.checks).toEqual([{ name: `${resourceOf("s3-role")} (fake:Create)`, ok: false, detail: "would still create: missing" }]);
    expect(byKey(view!.steps)["identity"].checks).toEqual([
      { name: `${resourceOf("identity")} (fake:Create)`, ok: true, detail: "matches the plan" },
    ]);
    expect(byKey(view!.steps)["s3-bucket"].status).toBe("pending");
    expect(calls).toEqual([]);
    expect(cloud.created.sort()).toEqual(["identity", "s3-bucket", "s3-role"]);
  });

  it("skips a step the settings do not use: not observed, not executed, and its dependants run", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const cloud = new FakeCloud();
    const calls: Call[] = [];
    const steps = [
      fakeStep("identity", cloud, calls),
      fakeStep("copy-models", cloud, calls, { dependsOn: ["identity"], appliesTo: (s) => s.storageSituation === "copy-from-pv" }),
      fakeStep("s3-bucket", cloud, calls, { dependsOn: ["copy-models"] }),
    ];
    // The same catalogue with settings that use the step plans it.
    const other = await createEnvironment(t.db, "production");
    const copying = await reviewPlan(t.db, other.id, steps, testSettings({ storageSituation: "copy-from-pv" }));
    expect(copying.plan.steps.find((s) => s.key === "copy-models")).toMatchObject({ applies: true, changes: [{ action: "create" }] });
    cloud.reads.length = 0;

    const jobs = createJobService({ db: t.db, steps });
    const { runId, plan } = await startApply(jobs, t.db, env.id, steps);
    expect(testSettings().storageSituation).toBe("already-s3");
    expect(plan.plan.steps.find((s) => s.key === "copy-models")).toMatchObject({ applies: false, changes: [] });
    const view = await within(jobs.waitForRun(runId), "the apply");
    expect(view?.status).toBe("succeeded");
    expect(view?.steps.map((s) => [s.key, s.status])).toEqual([
      ["identity", "succeeded"],
      ["copy-models", "skipped"],
      ["s3-bucket", "succeeded"],
    ]);
    expect(cloud.reads).not.toContain("copy-models");
    expect(calls.map((c) => c.step)).toEqual(["identity", "s3-bucket"]);

    const verify = await jobs.startRun({ environmentId: env.id, kind: "verify", settings: testSettings(), actor: "ada" });
    const verified = await within(jobs.waitForRun(verify.runId), "the verify");
    expect(verified?.status).toBe("succeeded");
    expect(byKey(verified!.steps)["copy-models"].status).toBe("skipped");
  });

  it("retryStep with verifyOnly succeeds only once every change of the step is unchanged, and runs no execute", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const cloud = new FakeCloud();
    const calls: Call[] = [];
    const steps = [
      fakeStep("rds-iam-auth", cloud, calls),
      fakeStep("db-grants", cloud, calls, {
        dependsOn: ["rds-iam-auth"],
        execute: async () => {
          throw new Error('permission denied for schema public (the admin user cannot grant: run grants.sql as the owner)');
        },
      }),
      fakeStep("verify-login", cloud, calls, { dependsOn: ["db-grants"] }),
    ];
    const jobs = createJobService({ db: t.db, steps });
    const { runId } = await startApply(jobs, t.db, env.id, steps);
    const failed = await within(jobs.waitForRun(runId), "the apply");
    expect(failed?.status).toBe("failed");
    expect(byKey(failed!.steps)["verify-login"].status).toBe("pending");
    expect(calls.map((c) => c.step)).toEqual(["rds-iam-auth", "db-grants"]);

    // Not run by hand yet: the read-back finds the grants still to do, and nothing is executed.
    await jobs.retryStep(runId, "db-grants", "ada", {}, { verifyOnly: true });
    const stillMissing = await within(jobs.waitForRun(runId), "the first read-back");
    expect(stillMissing?.status).toBe("failed");
    expect(byKey(stillMissing!.steps)["db-grants"]).toMatchObject({
      status: "failed",
      attempt: 2,
      error: `still to do: ${resourceOf("db-grants")} (create)`,
    });
    expect(byKey(stillMissing!.steps)["verify-login"].status).toBe("pending");
    expect(calls).toHaveLength(2);

    // A DBA ran grants.sql: the read-back finds them, the step succeeds without a statement, its dependant applies.
    cloud.put("db-grants");
    await jobs.retryStep(runId, "db-grants", "ada", {}, { verifyOnly: true });
    const done = await within(jobs.waitForRun(runId), "the second read-back");
    expect(done?.status).toBe("succeeded");
    expect(byKey(done!.steps)["db-grants"]).toMatchObject({ status: "succeeded", attempt: 3 });
    expect(byKey(done!.steps)["verify-login"]).toMatchObject({ status: "succeeded", attempt: 1 });
    expect(calls.map((c) => c.step)).toEqual(["rds-iam-auth", "db-grants", "verify-login"]);
    expect(cloud.created).toEqual(["rds-iam-auth", "verify-login"]);
    const logs = (await jobs.logsSince(runId)).map((l) => l.message);
    expect(logs).toContain("Fake db-grants: read back (run by hand) requested by ada");
    expect(logs).toContain("Fake db-grants: verified by read-back, nothing left to do (no statement was run)");
  });

  it("fails the step whose read fails, before anything executes", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const cloud = new FakeCloud();
    const calls: Call[] = [];
    let broken = false;
    const steps = s3Chain(cloud, calls, {
      observe: () => {
        if (broken) throw new Error("AccessDenied: iam:GetRole");
      },
    });
    const jobs = createJobService({ db: t.db, steps });
    const plan = await reviewPlan(t.db, env.id, steps);
    broken = true;
    const { runId } = await jobs.startRun({ environmentId: env.id, kind: "apply", planId: plan.id, actor: "ada" });
    const view = await within(jobs.waitForRun(runId), "the run");
    expect(view?.status).toBe("failed");
    expect(view?.steps.map((s) => [s.key, s.status])).toEqual([
      ["identity", "pending"],
      ["s3-role", "failed"],
      ["s3-bucket", "pending"],
    ]);
    expect(byKey(view!.steps)["s3-role"].error).toBe("AccessDenied: iam:GetRole");
    expect((await jobs.logsSince(runId)).some((l) => l.message === "Fake s3-role: failed while reading: AccessDenied: iam:GetRole")).toBe(true);
    expect(calls).toEqual([]);
  });

  it("refuses an unknown kind, a plan of another environment and an unknown environment, without creating a run", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const other = await createEnvironment(t.db, "production");
    const steps = [fakeStep("identity", new FakeCloud(), [])];
    const jobs = createJobService({ db: t.db, steps });
    const othersPlan = await reviewPlan(t.db, other.id, steps);

    const plan = { environmentId: env.id, kind: "plan", planId: othersPlan.id, actor: "ada" } as unknown as StartRunInput;
    await expect(jobs.startRun(plan)).rejects.toThrow(/kind must be one of apply, verify, access, teardown, got "plan"/);
    await expect(jobs.startRun({ environmentId: env.id, kind: "apply", planId: othersPlan.id, actor: "ada" })).rejects.toThrow(
      new RegExp(`plan ${othersPlan.id} is not a plan of this environment`),
    );
    await expect(jobs.startRun({ environmentId: env.id, kind: "apply", planId: "no-such-plan", actor: "ada" })).rejects.toBeInstanceOf(JobRequestError);
    await expect(jobs.startRun({ environmentId: "no-such-env", kind: "verify", settings: testSettings(), actor: "ada" })).rejects.toBeInstanceOf(
      EnvironmentNotFoundError,
    );
    expect(await t.db.run.count()).toBe(0);
  });

  it("refuses a step catalogue with a cycle or an unknown dependency", () => {
    t = undefined;
    const db = {} as never;
    const cloud = new FakeCloud();
    expect(() =>
      createJobService({
        db,
        steps: [fakeStep("identity", cloud, [], { dependsOn: ["discover"] }), fakeStep("discover", cloud, [], { dependsOn: ["identity"] })],
      }),
    ).toThrow(/cycle: identity → discover → identity/);
    expect(() => createJobService({ db, steps: [fakeStep("identity", cloud, [], { dependsOn: ["discover"] })] })).toThrow(
      /depends on "discover", which is not in the step catalogue/,
    );
  });
});
