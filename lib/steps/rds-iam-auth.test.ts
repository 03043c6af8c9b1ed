import { describe, expect, it } from "vitest";
import { FakeAws, fakeAwsPerTest } from "@/tests/support/fake-aws";
import { applySteps, stepContext } from "@/tests/support/step-context";
import { testSettings } from "@/tests/support/settings";
import { discoverStep } from "./discover";
import { discoverEnvironment } from "./discover-environment";
import { identityStep } from "./identity";
import { createRdsIamAuthStep } from "./rds-iam-auth";

const aws = fakeAwsPerTest();
const env = testSettings();

/** A clock that moves only when the step sleeps: a 20-minute wait takes no time. */
function fakeClock() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      t += ms;
    },
  };
}

async function prior(e = env) {
  return (await applySteps(e, [identityStep, discoverStep])).outputs;
}

describe("rds-iam-auth step", () => {
  it("flag off: ModifyDBInstance with ApplyImmediately, checkpoint, then polls with progress until on and available", async () => {
    const clock = fakeClock();
    const step = createRdsIamAuthStep({ pollIntervalMs: 15_000, ...clock });
    const ctx = stepContext(env, { outputs: await prior() });
    aws.fake.clearLog();
    await expect(step.apply(ctx)).resolves.toEqual({ dbIamAuthEnabled: true, dbStatus: "available" });
    expect(aws.fake.calls("ModifyDBInstance").map((c) => c.input)).toEqual([
      { DBInstanceIdentifier: "studio-db", EnableIAMDatabaseAuthentication: true, ApplyImmediately: true },
    ]);
    expect(ctx.checkpoints).toEqual([{ modifyRequested: true }]);
    expect(clock.sleeps).toEqual([15_000]);
    expect(ctx.progressValues.at(-1)).toBe(1);
    expect(ctx.progressValues[0]).toBeLessThan(1);
    const messages = ctx.logs.map((l) => l.message);
    expect(messages.some((m) => /waiting for studio-db: status modifying, IAM authentication off/.test(m))).toBe(true);
    expect(messages.at(-1)).toMatch(/IAM database authentication is on and studio-db is available/);
    expect(ctx.logs.find((l) => /requested IAM database authentication/.test(l.message))?.requestId).toMatch(/^req-/);
  });

  it("second run: flag on, zero mutating calls, no waiting, plan unchanged", async () => {
    aws.fake.db!.iamAuth = true;
    const clock = fakeClock();
    const ctx = stepContext(env, { outputs: await prior() });
    aws.fake.clearLog();
    await createRdsIamAuthStep(clock).apply(ctx);
    expect(aws.fake.mutatingCalls()).toEqual([]);
    expect(clock.sleeps).toEqual([]);
    const plan = createRdsIamAuthStep().plan(env, await discoverEnvironment(env));
    expect(plan).toMatchObject([{ action: "unchanged", call: "rds:ModifyDBInstance" }]);
  });

  it("Aurora: ModifyDBCluster", async () => {
    const aurora = testSettings({ dbKind: "cluster", dbIdentifier: "studio-aurora" });
    aws.replace(new FakeAws({ dbKind: "cluster", dbId: "studio-aurora" }));
    await createRdsIamAuthStep(fakeClock()).apply(stepContext(aurora, { outputs: await prior(aurora) }));
    expect(aws.fake.calls("ModifyDBCluster").map((c) => c.input)).toEqual([
      { DBClusterIdentifier: "studio-aurora", EnableIAMDatabaseAuthentication: true, ApplyImmediately: true },
    ]);
    expect(aws.fake.calls("ModifyDBInstance")).toEqual([]);
  });

  it("pending modifications: the plan warns that ApplyImmediately applies them, the apply logs it", async () => {
    aws.fake.db!.pending = { DBInstanceClass: "db.r6g.large", MasterUserPassword: "****" };
    const plan = createRdsIamAuthStep().plan(env, await discoverEnvironment(env));
    expect(plan[0].action).toBe("update");
    expect(plan[0].warnings?.[0]).toMatch(/pending modifications \(DBInstanceClass, MasterUserPassword\) that ApplyImmediately will also apply/);
    expect(JSON.parse(plan[0].document!)).toEqual({ DBInstanceIdentifier: "studio-db", EnableIAMDatabaseAuthentication: true, ApplyImmediately: true });
    const ctx = stepContext(env, { outputs: await prior() });
    await createRdsIamAuthStep(fakeClock()).apply(ctx);
    expect(ctx.logs.filter((l) => l.level === "warn").map((l) => l.message)).toEqual([plan[0].warnings![0]]);
    expect(JSON.stringify(ctx.logs)).not.toContain("****");
  });

  it("fails after rdsWaitTimeoutMinutes with the status it last saw", async () => {
    aws.fake.db!.stuck = true;
    const clock = fakeClock();
    const short = testSettings({ rdsWaitTimeoutMinutes: 2 });
    const ctx = stepContext(short, { outputs: await prior(short) });
    await expect(createRdsIamAuthStep({ pollIntervalMs: 30_000, ...clock }).apply(ctx)).rejects.toThrow(
      /timed out after 2 min waiting for studio-db: status modifying, IAM authentication off/,
    );
    expect(clock.sleeps).toHaveLength(4);
    expect(Math.max(...ctx.progressValues)).toBeLessThanOrEqual(0.95);
  });

  it("a cancelled run stops waiting", async () => {
    aws.fake.db!.stuck = true;
    const controller = new AbortController();
    const ctx = stepContext(env, { outputs: await prior(), signal: controller.signal });
    const step = createRdsIamAuthStep({
      pollIntervalMs: 1,
      sleep: async () => controller.abort(new Error("cancelled by admin")),
    });
    await expect(step.apply(ctx)).rejects.toThrow(/cancelled by admin/);
    expect(aws.fake.calls("DescribeDBInstances").length).toBeLessThanOrEqual(4);
  });

  it("resume after a crash mid-wait: the flag reads on but RDS is still modifying, so it waits again without modifying", async () => {
    const outputs = await prior();
    aws.fake.db!.iamAuth = true;
    aws.fake.db!.status = "modifying";
    aws.fake.db!.pollsUntilApplied = 3;
    const clock = fakeClock();
    const ctx = stepContext(env, { outputs, previous: { modifyRequested: true } });
    aws.fake.clearLog();
    await createRdsIamAuthStep(clock).apply(ctx);
    expect(aws.fake.mutatingCalls()).toEqual([]);
    expect(clock.sleeps).toHaveLength(1);
    expect(ctx.logs.at(-1)?.message).toMatch(/is on and studio-db is available/);
  });

  it("resume after a crash right after the request: the flag still reads off while RDS applies it, so it waits without asking again", async () => {
    const outputs = await prior();
    aws.fake.db!.iamAuth = false;
    aws.fake.db!.status = "modifying";
    aws.fake.db!.pending = { IAMDatabaseAuthenticationEnabled: true };
    aws.fake.db!.pollsUntilApplied = 2;
    const ctx = stepContext(env, { outputs, previous: { modifyRequested: true } });
    aws.fake.clearLog();
    await expect(createRdsIamAuthStep(fakeClock()).apply(ctx)).resolves.toEqual({ dbIamAuthEnabled: true, dbStatus: "available" });
    expect(aws.fake.calls("ModifyDBInstance")).toEqual([]);
    expect(ctx.logs.map((l) => l.message)).toContain("IAM database authentication is already being applied to studio-db (status modifying): waiting");
  });

  it("AccessDenied on ModifyDBInstance names rds:ModifyDBInstance", async () => {
    aws.fake.deny("ModifyDBInstance", "rds:ModifyDBInstance");
    const ctx = stepContext(env, { outputs: await prior() });
    await expect(createRdsIamAuthStep(fakeClock()).apply(ctx)).rejects.toThrow(/not allowed to call rds:ModifyDBInstance/);
    expect(ctx.checkpoints).toEqual([]);
  });

  it("throttled ModifyDBInstance, then success: retried by the SDK, modified once", async () => {
    const outputs = await prior();
    aws.fake.routeThroughSdk("rds");
    aws.fake.throttle("ModifyDBInstance");
    await createRdsIamAuthStep(fakeClock()).apply(stepContext(env, { outputs }));
    expect(aws.fake.calls("ModifyDBInstance")).toHaveLength(2);
    expect(aws.fake.db!.iamAuth).toBe(true);
  });
});
