// The access check as a run of the job service, through the real steps against the fake account: one follows
// every successful apply, an admin can start one on demand, it changes nothing, and it stores the matrix as its
// step's output (so the history shows when the environment last proved its access) or fails with the reason.
import { describe, expect, it } from "vitest";
import { ACCESS_CHECK_KEY, accessCheckStep, ACCESS_CHECK_NAME, storedMatrix } from "@/lib/steps/access-check";
import { STEPS } from "@/lib/steps";
import type { RunView } from "@/lib/jobs";
import { engine, type Engine } from "@/tests/support/engine";
import { fakeAwsPerTest } from "@/tests/support/fake-aws";
import { testSettings } from "@/tests/support/settings";

const aws = fakeAwsPerTest();
const env = testSettings();
// The grants need the DB admin and a PostgreSQL server: without them an apply cannot succeed, so these tests
// apply the AWS steps only (the access matrix proves the role side; the grants are the database side).
const AWS_STEPS = STEPS.filter((s) => s.key !== "db-grants");
const RDS_ROLE = "studio-staging-rds-role";

async function applied(): Promise<Engine> {
  aws.fake.db!.pollsUntilApplied = 1;
  const e = await engine(env, { steps: AWS_STEPS, accessStep: accessCheckStep });
  const { view } = await e.apply();
  expect(view.status).toBe("succeeded");
  return e;
}

async function accessRuns(e: Engine): Promise<RunView[]> {
  const rows = await e.db.run.findMany({ where: { environmentId: e.environmentId, kind: "access" }, orderBy: { createdAt: "asc" } });
  return Promise.all(rows.map(async (r) => (await e.jobs.waitForRun(r.id))!));
}

async function checkAccess(e: Engine): Promise<RunView> {
  const { runId } = await e.jobs.startRun({ environmentId: e.environmentId, kind: "access", settings: env, actor: "ada" });
  return (await e.jobs.waitForRun(runId))!;
}

const stepOf = (view: RunView) => view.steps.find((s) => s.key === ACCESS_CHECK_KEY)!;

describe("the access check run", () => {
  it("follows a successful apply and stores the matrix: intended pods allowed, everyone else denied", async () => {
    const e = await applied();
    const [run] = await accessRuns(e);
    expect(run).toBeDefined();
    expect(run.status).toBe("succeeded");
    expect(run.actor).toBe("ada");
    // Only the access step is a row of an access run; every other step was observed, not run.
    expect(run.steps.map((s) => [s.key, s.status])).toEqual([[ACCESS_CHECK_KEY, "succeeded"]]);
    const step = stepOf(run);
    expect(step.title).toBe("Prove who may do what (access matrix)");
    expect(step.checks).toEqual([expect.objectContaining({ name: ACCESS_CHECK_NAME, ok: true })]);
    const matrix = storedMatrix(step.output)!;
    expect(matrix.ok).toBe(true);
    expect(matrix.identity).toBe("irsa");
    expect(matrix.counts.fail).toBe(0);
    const byId = new Map(matrix.rows.map((r) => [r.id, r]));
    expect(byId.get("connect-iam-user")).toMatchObject({ decision: "allowed", verdict: "pass" });
    for (const id of ["connect-other-user", "connect-master-user", "connect-other-database"])
      expect(byId.get(id), id).toMatchObject({ decision: "denied", verdict: "pass" });
    expect(matrix.rows.filter((r) => r.group === "assume" && r.decision === "allowed").length).toBeGreaterThan(0);
    expect(matrix.rows.filter((r) => r.group === "storage").length).toBeGreaterThan(0);
    expect(matrix.edges.length).toBeGreaterThan(0);
    // The apply's log says so.
    const applyRun = await e.db.run.findFirst({ where: { kind: "apply" } });
    const logs = await e.jobs.logsSince(applyRun!.id, 0, 10_000);
    expect(logs.map((l) => l.message)).toContain(`Access check started after the apply: run ${run.id}`);
    await e.close();
  });

  it("with EKS Pod Identity: the associations read from EKS bind the service accounts to their roles", async () => {
    aws.fake.db!.pollsUntilApplied = 1;
    const podSettings = testSettings({ identityMode: "pod-identity" });
    const e = await engine(podSettings, { steps: AWS_STEPS, accessStep: accessCheckStep });
    expect((await e.apply()).view.status).toBe("succeeded");
    const [run] = await accessRuns(e);
    const matrix = storedMatrix(stepOf(run).output)!;
    expect(run.status).toBe("succeeded");
    expect(matrix.identity).toBe("pod-identity");
    expect(matrix.ok).toBe(true);
    expect(matrix.rows.filter((r) => r.group === "assume" && r.decision === "allowed").length).toBeGreaterThan(0);
    await e.close();
  });

  it("reads and changes nothing: no mutating AWS call", async () => {
    const e = await applied();
    aws.fake.clearLog();
    const view = await checkAccess(e);
    expect(view.status).toBe("succeeded");
    expect(aws.fake.mutatingCalls()).toEqual([]);
    await e.close();
  });

  it("fails when the RDS role's policy names another database's resource id, and still stores the matrix", async () => {
    const e = await applied();
    const role = aws.fake.roles.get(RDS_ROLE)!;
    const policyName = [...role.policies.keys()][0];
    const doc = JSON.parse(decodeURIComponent(role.policies.get(policyName)!));
    const right = aws.fake.db!.resourceId;
    const wrong = "db-WRONGRESOURCEID0000000000";
    doc.Statement[0].Resource = doc.Statement[0].Resource.map((r: string) => r.replace(right, wrong));
    role.policies.set(policyName, encodeURIComponent(JSON.stringify(doc)));

    const view = await checkAccess(e);
    expect(view.status).toBe("failed");
    const step = stepOf(view);
    expect(step.status).toBe("failed");
    expect(step.error).toContain(ACCESS_CHECK_NAME);
    expect(step.error).toContain(`${RDS_ROLE} connects as ${env.iamDbUser} to ${right}: denied`);
    const matrix = storedMatrix(step.output)!;
    expect(matrix.ok).toBe(false);
    expect(matrix.rows.find((r) => r.id === "connect-iam-user")).toMatchObject({ decision: "denied", verdict: "fail" });
    await e.close();
  });

  it("fails when a broad managed policy is attached to a role, naming it", async () => {
    const e = await applied();
    aws.fake.roles.get(RDS_ROLE)!.attached = ["arn:aws:iam::aws:policy/AdministratorAccess"];
    const view = await checkAccess(e);
    expect(view.status).toBe("failed");
    const matrix = storedMatrix(stepOf(view).output)!;
    expect(matrix.ok).toBe(false);
    expect(JSON.stringify([...matrix.rows.filter((r) => r.verdict === "fail"), ...matrix.findings])).toContain("AdministratorAccess");
    await e.close();
  });

  it("before anything was applied: fails with what is missing, no matrix", async () => {
    const e = await engine(env, { steps: AWS_STEPS, accessStep: accessCheckStep });
    const view = await checkAccess(e);
    expect(view.status).toBe("failed");
    expect(stepOf(view).error).toBe(`${ACCESS_CHECK_NAME}: IAM role ${RDS_ROLE} does not exist: apply the plan first`);
    expect(storedMatrix(stepOf(view).output)).toBeNull();
    await e.close();
  });

  it("is refused by a job service without the access step", async () => {
    const e = await engine(env, { steps: AWS_STEPS });
    await expect(e.jobs.startRun({ environmentId: e.environmentId, kind: "access", settings: env, actor: "ada" })).rejects.toThrow(
      "this job service has no access check",
    );
    await e.close();
  });
});
