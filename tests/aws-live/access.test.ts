// The access check against AWS_ENDPOINT_URL: after an apply of the AWS steps through the job service, the access
// run that follows reads the documents as the endpoint returns them (IAM URL-encoded, S3 plain) and proves the
// access as intended; a wrong resource id put into the RDS role's policy behind the console's back fails it.
import { PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsClients } from "@/lib/aws/clients";
import type { EnvironmentSettings } from "@/lib/config/environment";
import type { RunView } from "@/lib/jobs";
import { STEPS } from "@/lib/steps";
import { ACCESS_CHECK_KEY, accessCheckStep, storedMatrix } from "@/lib/steps/access-check";
import { discoverFacts } from "@/lib/steps/discover";
import { identityFacts } from "@/lib/steps/facts";
import { providerArnOf } from "@/lib/steps/oidc-provider";
import { RDS_POLICY_NAME } from "@/lib/steps/role-step";
import type { Facts } from "@/lib/steps/types";
import { engine, observe, type Engine } from "@/tests/support/engine";
import { liveEndpoint } from "./endpoint-guard";
import { liveSettings, prepareLive, removeAll } from "./fixtures";

const endpoint = liveEndpoint();

const env: EnvironmentSettings = liveSettings("live-access", "acc");

// Without DB credentials the grants cannot run, and only an apply that succeeds is followed by an access check.
const AWS_STEPS = STEPS.filter((s) => s.key !== "db-grants");

describe.skipIf(!endpoint)(`live AWS: the access check against ${endpoint}`, () => {
  let e: Engine;
  let fixturesCreated = false;
  let after: Facts | null = null;

  beforeAll(async () => {
    fixturesCreated = await prepareLive(endpoint!, env);
    e = await engine(env, { steps: AWS_STEPS, accessStep: accessCheckStep });
  });

  afterAll(async () => {
    if (!fixturesCreated) return;
    await e?.close();
    const problems = await removeAll(env, after ? providerArnOf(after) : null);
    if (problems.length) console.warn(`live AWS access suite: cleanup left ${problems.join(", ")}`);
  });

  async function accessRuns(): Promise<RunView[]> {
    const rows = await e.db.run.findMany({ where: { environmentId: e.environmentId, kind: "access" }, orderBy: { createdAt: "asc" } });
    return Promise.all(rows.map(async (r) => (await e.jobs.waitForRun(r.id))!));
  }

  it("an apply is followed by an access run whose matrix is as intended", async () => {
    const { view } = await e.apply();
    expect(view.status).toBe("succeeded");
    after = await observe(env);
    const [run] = await accessRuns();
    expect(run?.status).toBe("succeeded");
    const matrix = storedMatrix(run.steps.find((s) => s.key === ACCESS_CHECK_KEY)?.output)!;
    expect(matrix.ok).toBe(true);
    expect(matrix.counts.fail).toBe(0);
    expect(matrix.rows.find((r) => r.id === "connect-iam-user")).toMatchObject({ decision: "allowed", verdict: "pass" });
  });

  it("a wrong resource id in the RDS role's policy fails the next check", async () => {
    const resourceId = discoverFacts(after!).database!.resourceId!;
    const wrong = `db-${"X".repeat(26)}`;
    const id = identityFacts(after!)!;
    const arn = (db: string) => `arn:${id.partition}:rds-db:${env.region}:${id.accountId}:dbuser:${db}/${env.iamDbUser}`;
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["rds-db:connect"], Resource: [arn(wrong)] }] };
    expect(arn(resourceId)).not.toBe(arn(wrong));
    await awsClients(env.region).iam.send(
      new PutRolePolicyCommand({ RoleName: env.rdsRoleName, PolicyName: RDS_POLICY_NAME, PolicyDocument: JSON.stringify(policy) }),
    );
    const { runId } = await e.jobs.startRun({ environmentId: e.environmentId, kind: "access", settings: env, actor: "ada" });
    const view = (await e.jobs.waitForRun(runId))!;
    expect(view.status).toBe("failed");
    const matrix = storedMatrix(view.steps[0].output)!;
    expect(matrix.ok).toBe(false);
    expect(matrix.rows.find((r) => r.id === "connect-iam-user")).toMatchObject({ decision: "denied", verdict: "fail" });
  });
});
