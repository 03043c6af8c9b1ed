import { describe, expect, it } from "vitest";
import { FakeAws, fakeAwsPerTest } from "@/tests/support/fake-aws";
import { applyStep, observe } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";
import { awsClients } from "@/lib/aws/clients";
import { createRdsIamAuthStep } from "./rds-iam-auth";
import type { ExecuteContext } from "./types";

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

/** An execute context recording nothing, for a test that drives one change by hand. */
async function contextFor(settings: ReturnType<typeof testSettings>, facts: Awaited<ReturnType<typeof observe>>): Promise<ExecuteContext> {
  const signal = new AbortController().signal;
  return {
    settings,
    facts,
    aws: awsClients(settings.region),
    cx: { signal },
    signal,
    secrets: {},
    log: async () => undefined,
    progress: async () => undefined,
    checkpoint: async () => undefined,
  };
}

describe("rds-iam-auth step", () => {
  it("flag off: ModifyDBInstance with ApplyImmediately, checkpoint, then polls with progress until on and available", async () => {
    const clock = fakeClock();
    const step = createRdsIamAuthStep({ pollIntervalMs: 15_000, ...clock });
    const ctx = await applyStep(step, env);
    expect(ctx.results).toEqual([{ dbIamAuthEnabled: true }]);
    expect(aws.fake.calls("ModifyDBInstance").map((c) => c.input)).toEqual([
      { DBInstanceIdentifier: "studio-db", EnableIAMDatabaseAuthentication: true, ApplyImmediately: true },
    ]);
    // The request sent is the document the plan showed.
    expect(JSON.parse(ctx.changes[0].document!)).toEqual(aws.fake.calls("ModifyDBInstance")[0].input);
    // The deadline is checkpointed: a resumed attempt keeps it. The fake clock starts at 0; 20 min by default.
    expect(ctx.checkpoints).toEqual([{ modifyRequested: true, immediately: true, deadline: 20 * 60_000 }]);
    expect(clock.sleeps).toEqual([15_000]);
    expect(ctx.progress.at(-1)).toBe(1);
    expect(ctx.progress[0]).toBeLessThan(1);
    const messages = ctx.logs.map((l) => l.message);
    expect(messages.some((m) => /waiting for the modification on studio-db: status modifying, IAM authentication off/.test(m))).toBe(true);
    expect(messages.at(-1)).toMatch(/IAM database authentication is on and studio-db is available/);
    expect(ctx.logs.find((l) => /requested IAM database authentication/.test(l.message))?.requestId).toMatch(/^req-/);
  });

  it("second run: flag on, zero mutating calls, no waiting, plan unchanged", async () => {
    aws.fake.db!.iamAuth = true;
    const clock = fakeClock();
    const { changes } = await applyStep(createRdsIamAuthStep(clock), env);
    expect(aws.fake.mutatingCalls()).toEqual([]);
    expect(clock.sleeps).toEqual([]);
    expect(changes).toMatchObject([{ action: "unchanged", call: "rds:ModifyDBInstance" }]);
  });

  it("Aurora: ModifyDBCluster", async () => {
    const aurora = testSettings({ dbKind: "cluster", dbIdentifier: "studio-aurora" });
    aws.replace(new FakeAws({ dbKind: "cluster", dbId: "studio-aurora" }));
    await applyStep(createRdsIamAuthStep(fakeClock()), aurora);
    expect(aws.fake.calls("ModifyDBCluster").map((c) => c.input)).toEqual([
      { DBClusterIdentifier: "studio-aurora", EnableIAMDatabaseAuthentication: true, ApplyImmediately: true },
    ]);
    expect(aws.fake.calls("ModifyDBInstance")).toEqual([]);
  });

  it("fails after rdsWaitTimeoutMinutes with the status it last saw", async () => {
    aws.fake.db!.stuck = true;
    const clock = fakeClock();
    const short = testSettings({ rdsWaitTimeoutMinutes: 2 });
    const progress: number[] = [];
    const step = createRdsIamAuthStep({ pollIntervalMs: 30_000, ...clock });
    const facts = await observe(short);
    await expect(
      step.changes(facts, short)[0].execute!({ ...(await contextFor(short, facts)), progress: async (f) => void progress.push(f) }),
    ).rejects.toThrow(/timed out waiting for the modification on studio-db: status modifying, IAM authentication off/);
    expect(clock.sleeps).toHaveLength(4);
    expect(Math.max(...progress)).toBeLessThanOrEqual(0.95);
  });

  it("a cancelled run stops waiting", async () => {
    aws.fake.db!.stuck = true;
    const controller = new AbortController();
    const step = createRdsIamAuthStep({
      pollIntervalMs: 1,
      sleep: async () => controller.abort(new Error("cancelled by admin")),
    });
    await expect(applyStep(step, env, { signal: controller.signal })).rejects.toThrow(/cancelled by admin/);
    expect(aws.fake.calls("DescribeDBInstances").length).toBeLessThanOrEqual(4);
  });

  it("resume after a crash mid-wait: the flag reads on but RDS is still modifying, so it waits again without modifying", async () => {
    // The flag is on already: the plan has nothing to do, and the modification RDS still applies is its own business.
    aws.fake.db!.iamAuth = true;
    aws.fake.db!.status = "modifying";
    aws.fake.db!.pollsUntilApplied = 3;
    const { changes } = await applyStep(createRdsIamAuthStep(fakeClock()), env, { previous: { modifyRequested: true } });
    expect(changes.map((c) => c.action)).toEqual(["unchanged"]);
    expect(aws.fake.mutatingCalls()).toEqual([]);
  });

  it("resume after a crash right after the request: the flag still reads off while RDS applies it, so it waits without asking again", async () => {
    aws.fake.db!.iamAuth = false;
    aws.fake.db!.status = "modifying";
    aws.fake.db!.pending = { IAMDatabaseAuthenticationEnabled: true };
    aws.fake.db!.pollsUntilApplied = 3;
    const ctx = await applyStep(createRdsIamAuthStep(fakeClock()), env, { previous: { modifyRequested: true } });
    // The same reviewed change (same id, same request): a resumed run may go on with it.
    expect(ctx.changes.map((c) => [c.id, c.action])).toEqual([["rds-iam-auth:modify", "update"]]);
    expect(ctx.results).toEqual([{ dbIamAuthEnabled: true }]);
    expect(aws.fake.calls("ModifyDBInstance")).toEqual([]);
    expect(ctx.logs.map((l) => l.message)).toContain(
      "IAM database authentication is already being applied to studio-db (status modifying): waiting for the modification",
    );
  });

  it("AccessDenied on ModifyDBInstance names rds:ModifyDBInstance", async () => {
    aws.fake.deny("ModifyDBInstance", "rds:ModifyDBInstance");
    await expect(applyStep(createRdsIamAuthStep(fakeClock()), env)).rejects.toThrow(/not allowed to call rds:ModifyDBInstance/);
  });

  it("throttled ModifyDBInstance, then success: retried by the SDK, modified once", async () => {
    aws.fake.routeThroughSdk("rds");
    aws.fake.throttle("ModifyDBInstance");
    await applyStep(createRdsIamAuthStep(fakeClock()), env);
    expect(aws.fake.calls("ModifyDBInstance")).toHaveLength(2);
    expect(aws.fake.db!.iamAuth).toBe(true);
  });
});
