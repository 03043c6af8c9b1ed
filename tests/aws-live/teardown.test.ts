// Teardown against AWS_ENDPOINT_URL, through the real teardown steps and the job service: after an apply, a
// teardown of what the console created for the environment (roles with their inline policies, the bucket with a
// model in it once its name is typed, the OIDC provider when nobody else trusts it) leaves none of it, keeps a role the
// console did not create, and a second teardown plans no delete and makes no mutating call.
import { CreateRoleCommand, DeleteRoleCommand, GetRoleCommand, ListOpenIDConnectProvidersCommand } from "@aws-sdk/client-iam";
import { DeleteBucketPolicyCommand, HeadBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsCallCounter } from "@/lib/aws/call-counter";
import { awsClients } from "@/lib/aws/clients";
import type { EnvironmentSettings } from "@/lib/config/environment";
import { isMutation } from "@/lib/steps/change";
import { providerArnOf } from "@/lib/steps/oidc-provider";
import { planChanges } from "@/lib/steps/plan";
import type { Facts } from "@/lib/steps/types";
import { engine, observe, type Engine } from "@/tests/support/engine";
import { liveEndpoint } from "./endpoint-guard";
import { liveSettings, prepareLive, removeAll } from "./fixtures";

const endpoint = liveEndpoint();
const env: EnvironmentSettings = liveSettings("live-teardown", "tdn");
const FOREIGN_ROLE = `${env.rdsRoleName}-someone-elses`;
const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });

async function exists(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!endpoint)(`live AWS: teardown against ${endpoint}`, () => {
  const counter = new AwsCallCounter();
  let fixturesCreated = false;
  let applied: Facts | null = null;
  let e: Engine;

  beforeAll(async () => {
    fixturesCreated = await prepareLive(endpoint!, env);
    const c = awsClients(env.region);
    await c.iam.send(new CreateRoleCommand({ RoleName: FOREIGN_ROLE, AssumeRolePolicyDocument: trust }));
    counter.attach(c);
    e = await engine(env);
  });

  afterAll(async () => {
    if (!fixturesCreated) return;
    await e?.close();
    await awsClients(env.region).iam.send(new DeleteRoleCommand({ RoleName: FOREIGN_ROLE })).catch(() => undefined);
    const problems = await removeAll(env, applied ? providerArnOf(applied) : null);
    if (problems.length) console.warn(`live AWS teardown suite: cleanup left ${problems.join(", ")}`);
  });

  it("removes what the apply created, the bucket with its model once its name is typed, and keeps the rest", async () => {
    const { view } = await e.apply();
    for (const key of ["oidc-provider", "rds-role", "s3-role", "s3-bucket"]) expect(view.steps.find((s) => s.key === key)?.status, key).toBe("succeeded");
    applied = await observe(env);
    const provider = providerArnOf(applied)!;
    const c = awsClients(env.region);
    // The bucket policy denies plain HTTP, which the emulator enforces and speaks: without it a model can be put.
    await c.s3.send(new DeleteBucketPolicyCommand({ Bucket: env.bucketName }));
    await c.s3.send(new PutObjectCommand({ Bucket: env.bucketName, Key: "models/model.tar.gz", Body: "model" }));

    const plan = await e.planTeardown();
    const deletes = planChanges(plan).filter(isMutation).map((ch) => ch.call);
    expect(deletes).toEqual(expect.arrayContaining(["iam:DeleteRole", "iam:DeleteRolePolicy", "s3:DeleteObjects", "s3:DeleteBucket"]));
    // The provider goes only when no other role trusts it; an emulator may hand every cluster the same issuer, and
    // other suites' roles may trust it: then it is kept, and the plan names them.
    const providerRow = planChanges(plan).find((ch) => ch.call === "iam:DeleteOpenIDConnectProvider")!;
    if (providerRow.action !== "delete") expect(providerRow.reason).toMatch(/^kept: used by roles? /);
    const { view: down, logs } = await e.teardown({ confirmDelete: [env.bucketName] });
    expect(down.status, logs.map((l) => l.message).join("\n")).toBe("succeeded");

    for (const role of [env.rdsRoleName, env.s3RoleName]) expect(await exists(() => c.iam.send(new GetRoleCommand({ RoleName: role }))), role).toBe(false);
    expect(await exists(() => c.s3.send(new HeadBucketCommand({ Bucket: env.bucketName })))).toBe(false);
    const providers = await c.iam.send(new ListOpenIDConnectProvidersCommand({}));
    expect(providers.OpenIDConnectProviderList?.map((p) => p.Arn).includes(provider)).toBe(providerRow.action !== "delete");
    expect(await exists(() => c.iam.send(new GetRoleCommand({ RoleName: FOREIGN_ROLE })))).toBe(true);
  });

  it("a second teardown plans no delete (but IAM auth off, waiting for its typed name) and makes no mutating call", async () => {
    const plan = await e.planTeardown();
    expect(planChanges(plan).filter((c) => isMutation(c) && c.id !== "teardown-database:iam-auth")).toEqual([]);
    counter.reset();
    const { view } = await e.teardown();
    expect(view.status).toBe("succeeded");
    expect(counter.mutating()).toEqual([]);
  });
});
