// The browser tests' AWS double (e2e/support/aws-doubles.mjs) driven by the REAL engine code: discovery, every AWS
// step's apply, the plan. Proves the double answers what the product asks, keeps state, and obeys the scenario
// file. Vitest isolates test files, so the mocked SDK clients do not leak into other files.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { GetRolePolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsClients } from "@/lib/aws/clients";
import { AwsCallError } from "@/lib/aws/errors";
import { listBuckets, listClusters, listDatabases } from "@/lib/aws/inventory";
import type { EnvironmentSettings } from "@/lib/config/environment";
import { discoverEnvironment } from "@/lib/steps/discover";
import { AWS_STEP_KEYS, stepByKey } from "@/lib/steps";
import { buildPlan, planSummary } from "@/lib/steps/plan";
import type { StepKey, StepOutput } from "@/lib/steps/types";
import { stepContext, type RecordedContext } from "@/tests/support/step-context";
import { testSettings } from "@/tests/support/settings";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const preload = path.join(root, "e2e/support/aws-doubles.mjs");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-double-test-"));
const scenarioFile = path.join(dir, "aws-scenario.json");

interface AwsDouble {
  calls: Record<string, number>;
  world(): { roles: Record<string, unknown>; buckets: Record<string, { versioning: string | null }> };
  restore(): void;
}
let double: AwsDouble;
let resets = 0;

function setScenario(s: Record<string, unknown>) {
  fs.writeFileSync(scenarioFile, JSON.stringify(s));
}
/** A fresh account for the next call, plus whatever else the test asks for. */
function freshWorld(extra: Record<string, unknown> = {}) {
  setScenario({ reset: `r${++resets}`, ...extra });
}

type Outputs = Partial<Record<StepKey, StepOutput>>;

/** Applies every AWS step in catalogue order, as the runner would, skipping steps whose dependencies failed. */
async function applyAll(env: EnvironmentSettings, outputs: Outputs = {}) {
  const failed: { key: StepKey; err: unknown }[] = [];
  const contexts: Partial<Record<StepKey, RecordedContext>> = {};
  for (const key of AWS_STEP_KEYS) {
    const step = stepByKey(key);
    if (step.dependsOn.some((d) => !outputs[d])) continue;
    const ctx = stepContext(env, { outputs: { ...outputs } });
    contexts[key] = ctx;
    try {
      outputs[key] = await step.apply(ctx);
    } catch (err) {
      failed.push({ key, err });
    }
  }
  return { outputs, failed, contexts };
}

const MUTATING = /^(Create|Put|Update|Add|Tag|Modify)/;
function mutatingCallCount(): number {
  return Object.entries(double.calls).reduce((n, [name, c]) => n + (MUTATING.test(name) ? c : 0), 0);
}

beforeAll(async () => {
  fs.writeFileSync(scenarioFile, "{}");
  process.env.E2E_AWS_SCENARIO = scenarioFile;
  process.env.RDS_POLL_INTERVAL_MS = "1";
  // A variable specifier: the module is plain JavaScript without type declarations.
  const href = pathToFileURL(preload).href;
  double = ((await import(/* @vite-ignore */ href)) as { awsDouble: AwsDouble }).awsDouble;
});

afterAll(() => {
  double.restore();
  fs.rmSync(dir, { recursive: true, force: true });
});

const env = testSettings();

describe("the initial account", () => {
  it("has the cluster, the database, no provider, no roles and no bucket", async () => {
    freshWorld();
    const o = await discoverEnvironment(env);
    expect(o.identity).toEqual({ accountId: "111122223333", arn: "arn:aws:iam::111122223333:user/platform-admin", partition: "aws" });
    expect(o.cluster).toEqual({
      name: "studio-eks",
      oidcIssuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF",
      status: "ACTIVE",
    });
    expect(o.database).toEqual({
      kind: "instance",
      identifier: "studio-db",
      engine: "postgres",
      endpoint: "studio-db.abc123xyz.eu-west-1.rds.amazonaws.com",
      port: 5432,
      resourceId: "db-ABCDEFGHIJKLMNOPQRSTUVWXY0",
      iamAuthEnabled: false,
      status: "available",
      pendingModifications: [],
    });
    expect(o.oidcProvider).toBeNull();
    expect(o.roles).toEqual({ rds: null, s3: null });
    expect(o.bucket).toEqual({ state: "missing", name: env.bucketName });
    expect(globalThis.__awsDoubleCalls).toBe(double.calls);
    expect(double.calls.GetCallerIdentity).toBeGreaterThan(0);
  });

  it("answers the wizard's pickers; Aurora members are left to their cluster", async () => {
    freshWorld();
    expect(await listClusters("eu-west-1")).toEqual(["studio-eks"]);
    expect((await listDatabases("eu-west-1")).map((d) => `${d.kind}:${d.id}:${d.engine}`)).toEqual([
      "cluster:studio-aurora:aurora-postgresql",
      "instance:studio-db:postgres",
    ]);
    expect(await listBuckets("eu-west-1")).toEqual([]);
  });

  it("reports another account's bucket as foreign (HeadBucket 403), and a missing database as null", async () => {
    freshWorld();
    const o = await discoverEnvironment(testSettings({ bucketName: "someone-elses-bucket", dbIdentifier: "no-such-db" }));
    expect(o.bucket.state).toBe("foreign");
    expect(o.database).toBeNull();
  });

  it("has the Aurora cluster with its cluster resource id", async () => {
    freshWorld();
    const aurora = testSettings({ dbKind: "cluster", dbIdentifier: "studio-aurora" });
    const o = await discoverEnvironment(aurora);
    expect(o.database).toMatchObject({ kind: "cluster", resourceId: "cluster-ABCDEFGHIJKLMNOPQRSTUVWXY1", iamAuthEnabled: false });
    const { outputs, failed } = await applyAll(aurora);
    expect(failed).toEqual([]);
    expect(outputs["rds-iam-auth"]).toEqual({ dbIamAuthEnabled: true, dbStatus: "available" });
  });
});

describe("applying every AWS step", () => {
  it("creates everything; discovery then finds it and the plan says unchanged; a second apply changes nothing", async () => {
    freshWorld();
    const before = planSummary({ ...buildPlan(env, await discoverEnvironment(env)), warnings: [] });
    expect(before.create).toBeGreaterThan(0);

    const { failed, outputs, contexts } = await applyAll(env);
    expect(failed).toEqual([]);
    expect(Object.keys(outputs)).toEqual(AWS_STEP_KEYS);
    // RDS takes two reads to apply the flag: the step shows it waiting, then done.
    const rdsLog = contexts["rds-iam-auth"]!.logs.map((l) => l.message).join("\n");
    expect(rdsLog).toMatch(/waiting for studio-db: status modifying, IAM authentication off/);
    expect(rdsLog).toMatch(/IAM database authentication is on and studio-db is available/);
    expect(outputs["rds-iam-auth"]).toEqual({ dbIamAuthEnabled: true, dbStatus: "available" });
    for (const ctx of Object.values(contexts)) for (const l of ctx!.logs) if (/created|put the bucket policy/.test(l.message)) expect(l.requestId).toBeTruthy();

    const o = await discoverEnvironment(env);
    expect(o.oidcProvider).toMatchObject({ clientIds: ["sts.amazonaws.com"] });
    expect(o.oidcProvider!.arn).toBe(
      "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF",
    );
    expect(o.roles.rds).toMatchObject({ arn: `arn:aws:iam::111122223333:role/${env.rdsRoleName}` });
    expect(Object.keys(o.roles.s3!.inlinePolicies)).toHaveLength(1);
    expect(o.bucket).toMatchObject({ state: "owned", region: "eu-west-1", versioning: "Enabled", encryption: "AES256" });
    expect(o.database).toMatchObject({ iamAuthEnabled: true, status: "available" });

    const plan = buildPlan(env, o);
    const rows = plan.steps.filter((s) => AWS_STEP_KEYS.includes(s.key)).flatMap((s) => s.changes);
    const notUnchanged = rows.filter((r) => r.action !== "read" && r.action !== "unchanged");
    expect(notUnchanged).toEqual([]);
    expect(rows.some((r) => r.action === "unchanged")).toBe(true);

    const mutating = mutatingCallCount();
    const again = await applyAll(env);
    expect(again.failed).toEqual([]);
    expect(mutatingCallCount()).toBe(mutating);
  });

  it("hands back IAM policy documents URL-encoded, as IAM does", async () => {
    freshWorld();
    await applyAll(env);
    const { iam } = awsClients(env.region);
    const role = await discoverEnvironment(env).then((o) => o.roles.rds!);
    const [policyName] = Object.keys(role.inlinePolicies);
    const res = await iam.send(new GetRolePolicyCommand({ RoleName: env.rdsRoleName, PolicyName: policyName }));
    expect(res.PolicyDocument).toMatch(/^%7B/);
    expect(JSON.parse(decodeURIComponent(res.PolicyDocument!))).toEqual(role.inlinePolicies[policyName]);
    expect(res.$metadata).toMatchObject({ httpStatusCode: 200 });
    expect(res.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("the scenario file", () => {
  it("failOnce: exactly one step fails once with an AWS-worded AccessDenied; the retry succeeds; a new id arms it again", async () => {
    freshWorld({ failOnce: { PutBucketVersioning: "AccessDenied" }, failOnceId: "apply-1" });
    const first = await applyAll(env);
    expect(first.failed.map((f) => f.key)).toEqual(["s3-bucket"]);
    const err = first.failed[0].err as AwsCallError;
    expect(err).toBeInstanceOf(AwsCallError);
    expect(err.accessDenied).toBe(true);
    expect(err.httpStatus).toBe(403);
    expect(err.message).toContain(
      "User: arn:aws:iam::111122223333:user/platform-admin is not authorized to perform: s3:PutBucketVersioning on resource: " +
        `arn:aws:s3:::${env.bucketName}`,
    );
    expect(err.requestId).toBeTruthy();

    const retry = stepContext(env, { outputs: { ...first.outputs } });
    await expect(stepByKey("s3-bucket").apply(retry)).resolves.toMatchObject({ bucketName: env.bucketName });
    expect(double.world().buckets[env.bucketName].versioning).toBe("Enabled");

    // Same id on a fresh account: already fired, so no failure.
    setScenario({ reset: "same-id-again", failOnce: { PutBucketVersioning: "AccessDenied" }, failOnceId: "apply-1" });
    expect((await applyAll(env)).failed).toEqual([]);
    // A new id arms it again.
    setScenario({ reset: "new-id", failOnce: { PutBucketVersioning: "AccessDenied" }, failOnceId: "apply-2" });
    expect((await applyAll(env)).failed.map((f) => f.key)).toEqual(["s3-bucket"]);
  });

  it("failAlways: every call fails while present, with the service's own error class; removing it heals", async () => {
    freshWorld({ failAlways: { DescribeCluster: "AccessDeniedException", GetRole: "ServiceFailure" } });
    for (let i = 0; i < 2; i++) {
      const err = await discoverEnvironment(env).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AwsCallError);
      expect((err as AwsCallError).action).toBe("eks:DescribeCluster");
      expect((err as AwsCallError).cause).toMatchObject({ name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } });
    }
    setScenario({ reset: `r${resets}`, failAlways: { GetRole: "ServiceFailure" } });
    const err = (await discoverEnvironment(env).catch((e: unknown) => e)) as AwsCallError;
    expect(err.action).toBe("iam:GetRole");
    expect(err.cause).toMatchObject({ name: "ServiceFailureException", $metadata: { httpStatusCode: 500 } });
    setScenario({ reset: `r${resets}` });
    await expect(discoverEnvironment(env)).resolves.toMatchObject({ cluster: { name: "studio-eks" } });
  });

  it("delayMs: a cancelled call stops waiting with the SDK's AbortError", async () => {
    freshWorld({ delayMs: { GetCallerIdentity: 60_000 } });
    const ac = new AbortController();
    const pending = discoverEnvironment(env, { signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  it("keeps the account in a state file, so a restarted server (a new process preloading the double) finds it", async () => {
    freshWorld();
    await applyAll(env);
    const script = path.join(dir, "probe.mjs");
    fs.writeFileSync(
      script,
      `import { createRequire } from "node:module";
const require = createRequire(${JSON.stringify(path.join(root, "package.json"))});
const { IAMClient, GetRoleCommand } = require("@aws-sdk/client-iam");
const { RDSClient, DescribeDBInstancesCommand } = require("@aws-sdk/client-rds");
const role = await new IAMClient({ region: "eu-west-1" }).send(new GetRoleCommand({ RoleName: ${JSON.stringify(env.rdsRoleName)} }));
const db = await new RDSClient({ region: "eu-west-1" }).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "studio-db" }));
console.log(JSON.stringify({ arn: role.Role.Arn, iam: db.DBInstances[0].IAMDatabaseAuthenticationEnabled, calls: globalThis.__awsDoubleCalls }));
`,
    );
    const out = execFileSync(process.execPath, ["--no-warnings", "--import", pathToFileURL(preload).href, script], {
      env: { ...process.env, E2E_AWS_SCENARIO: scenarioFile, NODE_OPTIONS: "" },
      encoding: "utf8",
    });
    expect(JSON.parse(out.trim().split("\n").at(-1)!)).toEqual({
      arn: `arn:aws:iam::111122223333:role/${env.rdsRoleName}`,
      iam: true,
      calls: { GetRole: 1, DescribeDBInstances: 1 },
    });
  });
});

declare global {
  var __awsDoubleCalls: Record<string, number> | undefined;
}
