// RDS without surprises: ApplyImmediately only when nothing else is pending or the admin acknowledged the pending
// list; otherwise the next maintenance window, which the run waits for and a resumed run keeps waiting for;
// an Aurora member instance refused; storage optimisation after the change does not hold the wait up.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createJobService } from "@/lib/jobs";
import { STEPS } from "@/lib/steps";
import { fakeAwsPerTest } from "@/tests/support/fake-aws";
import { applyStep, engine, executeChanges, observe } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";
import { nextMaintenanceWindow } from "./maintenance-window";
import { createRdsIamAuthStep, rdsIamAuthStep } from "./rds-iam-auth";
import { rdsRoleStep } from "./rds-role";

const aws = fakeAwsPerTest();
const env = testSettings();
const WINDOW = "sun:05:00-sun:05:30";

beforeEach(() => {
  process.env.RDS_POLL_INTERVAL_MS = "10";
  aws.fake.db!.maintenanceWindow = WINDOW;
  aws.fake.db!.pollsUntilApplied = 1;
});
afterEach(() => {
  delete process.env.RDS_POLL_INTERVAL_MS;
});

const until = async (what: string, ok: () => Promise<boolean> | boolean) => {
  for (let i = 0; i < 500; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe("pending modifications", () => {
  it("the plan asks for the maintenance window, lists the pending modifications and says how to apply now", async () => {
    aws.fake.db!.pending = { DBInstanceClass: "db.r6g.large", MasterUserPassword: "****" };
    const [row] = rdsIamAuthStep.changes(await observe(env), env);
    expect(JSON.parse(row.document!)).toEqual({ DBInstanceIdentifier: "studio-db", EnableIAMDatabaseAuthentication: true, ApplyImmediately: false });
    expect(row.warnings?.[0]).toMatch(
      /^studio-db has pending modifications \(DBInstanceClass, MasterUserPassword\) that ApplyImmediately would also apply now, some with a restart .*requested for the next maintenance window, sun:05:00-sun:05:30 UTC \(next: \d{4}-\d\d-\d\d 05:00 UTC\) and the run waits for it, unless you acknowledge the pending list in the run form/,
    );
    expect(JSON.stringify(row)).not.toContain("****");
  });

  it("without the acknowledgement: requested for the window (not immediately); the run waits and finishes when RDS reports IAM auth on", async () => {
    aws.fake.db!.pending = { DBInstanceClass: "db.r6g.large" };
    const e = await engine(env);
    const plan = await e.refreshPlan();
    const { runId } = await e.jobs.startRun({ environmentId: e.environmentId, kind: "apply", planId: plan.id, actor: "ada" });
    await until("the window request", () => aws.fake.calls("ModifyDBInstance").length === 1);
    expect(aws.fake.calls("ModifyDBInstance")[0].input).toEqual({ DBInstanceIdentifier: "studio-db", EnableIAMDatabaseAuthentication: true, ApplyImmediately: false });
    // Nothing applied yet: the instance class change still waits, and so does the run.
    await new Promise((r) => setTimeout(r, 100));
    expect((await e.jobs.runView(runId))!.steps.find((s) => s.key === "rds-iam-auth")!.status).toBe("running");
    expect(aws.fake.db!.instanceClass).not.toBe("db.r6g.large");
    aws.fake.passMaintenanceWindow();
    const view = (await e.jobs.waitForRun(runId))!;
    expect(view.steps.find((s) => s.key === "rds-iam-auth")!.status).toBe("succeeded");
    expect(aws.fake.db).toMatchObject({ iamAuth: true, instanceClass: "db.r6g.large" });
    const logs = (await e.jobs.logsSince(runId, 0, 10_000)).map((l) => l.message);
    expect(logs.some((m) => /requested IAM database authentication on studio-db for the next maintenance window, sun:05:00-sun:05:30 UTC/.test(m))).toBe(true);
    await e.close();
  });

  it("with the pending list acknowledged in the run form: ApplyImmediately, logged as acknowledged", async () => {
    aws.fake.db!.pending = { DBInstanceClass: "db.r6g.large" };
    const e = await engine(env);
    const { view, logs } = await e.apply({ applyPendingNow: ["DBInstanceClass"] });
    expect(view.steps.find((s) => s.key === "rds-iam-auth")!.status).toBe("succeeded");
    expect(aws.fake.calls("ModifyDBInstance")[0].input).toMatchObject({ ApplyImmediately: true });
    expect(logs.map((l) => l.message)).toContain("applying now, as acknowledged by the admin, with the pending modifications DBInstanceClass");
    await e.close();
  });

  it("an acknowledgement of another list is not one: the window it is", async () => {
    aws.fake.db!.pending = { DBInstanceClass: "db.r6g.large", EngineVersion: "16.4" };
    const e = await engine(env);
    const plan = await e.refreshPlan();
    await e.jobs.startRun({ environmentId: e.environmentId, kind: "apply", planId: plan.id, actor: "ada", applyPendingNow: ["DBInstanceClass"] });
    await until("the request", () => aws.fake.calls("ModifyDBInstance").length === 1);
    expect(aws.fake.calls("ModifyDBInstance")[0].input).toMatchObject({ ApplyImmediately: false });
    aws.fake.passMaintenanceWindow();
    await e.close();
  });
});

describe("the maintenance-window wait", () => {
  it("resumes after the run stopped: a new job service (a restart) waits for the same window without asking RDS again", async () => {
    aws.fake.db!.pending = { DBInstanceClass: "db.r6g.large" };
    const e = await engine(env);
    const plan = await e.refreshPlan();
    const { runId } = await e.jobs.startRun({ environmentId: e.environmentId, kind: "apply", planId: plan.id, actor: "ada" });
    await until("the window request", () => aws.fake.calls("ModifyDBInstance").length === 1);
    await until("the checkpoint", async () => {
      const row = (await e.jobs.runView(runId))!.steps.find((s) => s.key === "rds-iam-auth")!;
      return JSON.stringify(row.output ?? {}).includes("deadline");
    });
    await e.jobs.cancelRun(runId, "ada");
    await e.jobs.waitForRun(runId);
    const stopped = (await e.jobs.runView(runId))!.steps.find((s) => s.key === "rds-iam-auth")!;
    expect(stopped.status).toBe("cancelled");
    const deadline = (stopped.output as { partial: Record<string, { deadline: number }> }).partial["rds-iam-auth:modify"].deadline;
    // The deadline is the window's end plus the usual wait.
    const end = nextMaintenanceWindow(WINDOW, new Date())!.end.getTime();
    expect(deadline).toBeGreaterThanOrEqual(end + env.rdsWaitTimeoutMinutes * 60_000 - 60_000);

    // A new job service on the same store, as after a restart.
    const restarted = createJobService({ db: e.db, steps: STEPS, heartbeatMs: 50 });
    await restarted.resumeRun(runId, "ada");
    await new Promise((r) => setTimeout(r, 100));
    aws.fake.passMaintenanceWindow();
    const view = (await restarted.waitForRun(runId))!;
    expect(view.steps.find((s) => s.key === "rds-iam-auth")!.status).toBe("succeeded");
    expect(aws.fake.calls("ModifyDBInstance")).toHaveLength(1);
    const logs = (await restarted.logsSince(runId, 0, 10_000)).map((l) => l.message);
    expect(logs).toContain(
      "IAM database authentication is already being applied to studio-db (status available): waiting for the next maintenance window, sun:05:00-sun:05:30 UTC (next: " +
        nextMaintenanceWindow(WINDOW, new Date())!.start.toISOString().slice(0, 16).replace("T", " ") +
        " UTC)",
    );
    await e.close();
  });

  it("the next window: this week's when still ahead, in progress counts, else next week's", () => {
    const at = (iso: string) => nextMaintenanceWindow(WINDOW, new Date(iso));
    // 2026-12-03 is a Thursday: the next Sunday is 2026-12-06.
    expect(at("2026-12-03T12:00:00Z")).toEqual({ start: new Date("2026-12-06T05:00:00Z"), end: new Date("2026-12-06T05:30:00Z") });
    expect(at("2026-12-06T05:10:00Z")!.start).toEqual(new Date("2026-12-06T05:00:00Z"));
    expect(at("2026-12-06T06:00:00Z")!.start).toEqual(new Date("2026-12-13T05:00:00Z"));
    // A window across midnight from Saturday to Sunday, in progress on Sunday morning.
    expect(nextMaintenanceWindow("sat:23:30-sun:00:30", new Date("2026-12-06T00:10:00Z"))!.start).toEqual(new Date("2026-12-05T23:30:00Z"));
    expect(nextMaintenanceWindow(null, new Date())).toBeNull();
  });
});

describe("storage optimisation and Aurora members", () => {
  it("IAM auth on while RDS optimises storage: done, no time-out", async () => {
    const clock = { t: 0 };
    const step = createRdsIamAuthStep({ pollIntervalMs: 60_000, now: () => clock.t, sleep: async (ms) => void (clock.t += ms) });
    const short = testSettings({ rdsWaitTimeoutMinutes: 1 });
    // Planned while the flag was off; by the time the run polls, RDS reports it on and keeps optimising storage.
    const facts = await observe(short);
    aws.fake.db!.iamAuth = true;
    aws.fake.db!.status = "storage-optimization";
    const rec = await executeChanges(short, facts, step.changes(facts, short));
    expect(rec.logs.at(-1)?.message).toMatch(/IAM database authentication is on and studio-db is storage-optimization/);
    expect(clock.t).toBe(0);
  });

  it("an Aurora member instance typed in is refused with 'use the cluster' by the RDS steps, nothing is called", async () => {
    // The fake account's Aurora cluster studio-aurora has the writer studio-aurora-instance-1.
    const member = "studio-aurora-instance-1";
    const settings = testSettings({ dbKind: "instance", dbIdentifier: member });
    const facts = await observe(settings);
    const message = `${member} is a member instance of Aurora cluster studio-aurora: use the cluster (database kind "cluster", identifier studio-aurora)`;
    expect(rdsIamAuthStep.blockers!(facts, settings)[0]).toContain(message);
    expect(rdsRoleStep.blockers!(facts, settings)[0]).toContain(message);
    await expect(applyStep(rdsIamAuthStep, settings)).rejects.toThrow(/use the cluster/);
    expect(aws.fake.mutatingCalls()).toEqual([]);
  });
});
