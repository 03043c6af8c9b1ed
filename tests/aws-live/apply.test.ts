// The whole AWS apply against AWS_ENDPOINT_URL, through the real steps and the job service: fixtures, a saved
// plan, apply, read back and compare with the plan, drift put right, a stale plan refused, then a second apply
// that changes nothing.
//
// Not exercised here (emulators commonly lack them; the mocked tests in lib/steps cover them):
// AddClientIDToOpenIDConnectProvider on an existing provider, ModifyDBCluster (Aurora) flipping the flag,
// pending modifications, waiting for RDS, and a bucket owned by another account (HeadBucket 403).
import { UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { PutBucketVersioningCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsCallCounter } from "@/lib/aws/call-counter";
import { awsClients } from "@/lib/aws/clients";
import { callerIdentity, listBuckets, listClusters, listDatabases } from "@/lib/aws/inventory";
import type { EnvironmentSettings } from "@/lib/config/environment";
import type { ObservedBucket } from "@/lib/aws/s3";
import type { ObservedRole } from "@/lib/aws/iam";
import { parsePolicyDocument, policiesEqual } from "@/lib/policies/policy-json";
import { discoverFacts } from "@/lib/steps/discover";
import { providerArnOf } from "@/lib/steps/oidc-provider";
import { buildPlan, type Plan } from "@/lib/steps/plan";
import { RDS_POLICY_NAME, S3_POLICY_NAME } from "@/lib/steps/role-step";
import type { Facts, PlannedChange } from "@/lib/steps/types";
import { engine, observe, type Engine } from "@/tests/support/engine";
import { liveEndpoint } from "./endpoint-guard";
import { liveSettings, prepareLive, removeAll } from "./fixtures";

const endpoint = liveEndpoint();
if (!endpoint) console.warn("live AWS suite skipped: AWS_ENDPOINT_URL is not set");

const env: EnvironmentSettings = liveSettings("live", "live");

function row(plan: Plan, step: string, call: string): PlannedChange {
  const found = plan.steps.find((s) => s.key === step)?.changes.find((c) => c.call === call);
  if (!found) throw new Error(`plan has no ${call} in step ${step}`);
  return found;
}

function doc(change: PlannedChange): unknown {
  return JSON.parse(change.document ?? "null");
}

describe.skipIf(!endpoint)(`live AWS: whole apply against ${endpoint}`, () => {
  const counter = new AwsCallCounter();
  let firstPlan: Plan;
  let after: Facts | null = null;
  let fixturesCreated = false;
  let e: Engine;

  beforeAll(async () => {
    fixturesCreated = await prepareLive(endpoint!, env);
    counter.attach(awsClients(env.region));
    e = await engine(env);
  });

  afterAll(async () => {
    // Nothing to remove when the guard refused the endpoint: no call goes to it.
    if (!fixturesCreated) return;
    await e?.close();
    const problems = await removeAll(env, after ? providerArnOf(after) : null);
    if (problems.length) console.warn(`live AWS suite: cleanup left ${problems.join(", ")}`);
  });

  it("the wizard's pickers see the fixtures", async () => {
    const id = await callerIdentity(env.region);
    expect(id.accountId).toMatch(/^\d{12}$/);
    expect(await listClusters(env.region)).toContain(env.clusterName);
    expect(await listDatabases(env.region)).toContainEqual(expect.objectContaining({ kind: "instance", id: env.dbIdentifier, engine: "postgres" }));
    expect((await listBuckets(env.region)).map((b) => b.name)).not.toContain(env.bucketName);
  });

  it("plans creates for a fresh environment", async () => {
    const observed = await observe(env);
    expect(discoverFacts(observed).cluster?.oidcIssuer).toMatch(/^https:\/\//);
    expect(discoverFacts(observed).database?.resourceId).toMatch(/^db-/);
    firstPlan = buildPlan(env, observed);
    for (const [step, call] of [
      ["oidc-provider", "iam:CreateOpenIDConnectProvider"],
      ["rds-role", "iam:CreateRole"],
      ["s3-role", "iam:CreateRole"],
      ["s3-bucket", "s3:CreateBucket"],
    ])
      expect(row(firstPlan, step, call).action).toBe("create");
  });

  it("applies every AWS step, then reads back exactly what the plan said", async () => {
    counter.reset();
    const { view, logs } = await e.apply();
    expect(counter.mutating().length).toBeGreaterThan(0);
    // Every step but the grants (no DB credentials in this suite) succeeded, without an error line.
    expect(view.steps.filter((s) => s.status !== "succeeded" && s.status !== "skipped").map((s) => s.key)).toEqual(["db-grants"]);
    expect(logs.filter((l) => l.level === "error" && l.stepKey !== "db-grants" && l.stepKey !== null)).toEqual([]);

    after = await observe(env);
    const provider = (after["oidc-provider"] as { provider: { arn: string; clientIds: string[] } | null }).provider;
    expect(provider?.clientIds).toContain("sts.amazonaws.com");
    expect(view.steps.find((s) => s.key === "oidc-provider")?.output).toMatchObject({ results: { "oidc-provider:provider": { oidcProviderArn: provider?.arn } } });

    const rds = after["rds-role"] as ObservedRole;
    const s3 = after["s3-role"] as ObservedRole;
    expect(policiesEqual(rds.trustPolicy, doc(row(firstPlan, "rds-role", "iam:CreateRole")))).toBe(true);
    expect(policiesEqual(rds.inlinePolicies[RDS_POLICY_NAME], doc(row(firstPlan, "rds-role", "iam:PutRolePolicy")))).toBe(true);
    expect(policiesEqual(s3.trustPolicy, doc(row(firstPlan, "s3-role", "iam:CreateRole")))).toBe(true);
    expect(policiesEqual(s3.inlinePolicies[S3_POLICY_NAME], doc(row(firstPlan, "s3-role", "iam:PutRolePolicy")))).toBe(true);
    expect(rds.tags).toMatchObject({ "managed-by": "studio-iam-console", "studio-environment": "live" });

    const bucket = after["s3-bucket"] as ObservedBucket;
    expect(bucket.state).toBe("owned");
    if (bucket.state !== "owned") return;
    expect(bucket).toMatchObject({
      region: env.region,
      versioning: "Enabled",
      encryption: "AES256",
      publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      tags: { "managed-by": "studio-iam-console", "studio-environment": "live" },
    });
    expect(policiesEqual(bucket.policy, doc(row(firstPlan, "s3-bucket-policy", "s3:PutBucketPolicy")))).toBe(true);
    expect(parsePolicyDocument(JSON.stringify(bucket.policy))).toEqual(bucket.policy);

    expect(discoverFacts(after).database).toMatchObject({ iamAuthEnabled: true, status: "available" });

    const again = buildPlan(env, after);
    const awsRows = again.steps.filter((s) => s.key !== "db-grants").flatMap((s) => s.changes);
    expect(awsRows.filter((c) => c.action !== "unchanged")).toEqual([]);
  });

  it("verify: every AWS step's read-only checks pass", async () => {
    const { view } = await e.verify();
    for (const step of view.steps.filter((s) => s.key !== "db-grants" && s.status !== "skipped")) expect(step.status, step.key).toBe("succeeded");
    const checks = view.steps.flatMap((s) => (s.key === "db-grants" ? [] : (s.checks ?? [])));
    expect(checks.length).toBeGreaterThan(5);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("a plan reviewed before someone edits a role is refused, with the difference, and changes nothing", async () => {
    const plan = await e.refreshPlan();
    const c = awsClients(env.region);
    await c.iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: env.rdsRoleName,
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
      }),
    );
    counter.reset();
    const { view, logs } = await e.apply({ plan });
    expect(view.status).toBe("failed");
    expect(view.error).toMatch(/the account changed since the plan was reviewed/);
    expect(logs.some((l) => /^changed since the review: rds-role › trustPolicy/.test(l.message))).toBe(true);
    expect(counter.mutating()).toEqual([]);
  });

  it("drift made behind the console's back is put right, and only that", async () => {
    const c = awsClients(env.region);
    await c.iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: env.s3RoleName,
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      }),
    );
    await c.s3.send(new PutBucketVersioningCommand({ Bucket: env.bucketName, VersioningConfiguration: { Status: "Suspended" } }));
    const drifted = buildPlan(env, await observe(env));
    expect(row(drifted, "s3-role", "iam:UpdateAssumeRolePolicy").action).toBe("update");
    expect(row(drifted, "s3-bucket", "s3:PutBucketVersioning").action).toBe("update");
    counter.reset();
    await e.apply();
    // The RDS role too: the test before this one edited its trust behind the console's back.
    expect(counter.mutating().map((m) => `${m.service}:${m.operation}`).sort()).toEqual([
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateAssumeRolePolicy",
      "s3:PutBucketVersioning",
    ]);
  });

  it("a second apply changes nothing", async () => {
    const plan = await e.refreshPlan();
    counter.reset();
    await e.apply({ plan });
    expect(counter.mutating()).toEqual([]);
    expect(counter.total).toBeGreaterThan(0);
  });
});
