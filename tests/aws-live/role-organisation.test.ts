// Role path and permissions boundary against AWS_ENDPOINT_URL: CreateRole gets both, the role ARN IAM returns has
// the path and is what the bucket policy names; a second apply changes nothing.
import { CreatePolicyCommand, DeletePolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsCallCounter } from "@/lib/aws/call-counter";
import { awsClients } from "@/lib/aws/clients";
import type { ObservedRole } from "@/lib/aws/iam";
import type { ObservedBucket } from "@/lib/aws/s3";
import { environmentSettingsSchema, type EnvironmentSettings } from "@/lib/config/environment";
import { statementsOf } from "@/lib/policies/policy-json";
import { providerArnOf } from "@/lib/steps/oidc-provider";
import { roleArnOf } from "@/lib/steps/role-step";
import type { Facts } from "@/lib/steps/types";
import { engine, observe, type Engine } from "@/tests/support/engine";
import { assertSafeEndpoint, liveEndpoint } from "./endpoint-guard";
import { createFixtures, liveSettingsInput, removeAll } from "./fixtures";

const endpoint = liveEndpoint();
const base = liveSettingsInput("live-path", "path", { rolePath: "/platform/studio/" });

describe.skipIf(!endpoint)(`live AWS: role path and permissions boundary against ${endpoint}`, () => {
  const counter = new AwsCallCounter();
  let fixturesCreated = false;
  let after: Facts | null = null;
  let e: Engine;
  let env: EnvironmentSettings;
  let boundary = "";

  beforeAll(async () => {
    assertSafeEndpoint(endpoint!);
    process.env.RDS_POLL_INTERVAL_MS ??= "1000";
    fixturesCreated = true;
    const c = awsClients(base.region);
    const policy = await c.iam.send(
      new CreatePolicyCommand({
        PolicyName: `${base.bucketName}-boundary`,
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["rds-db:connect", "s3:*"], Resource: "*" }] }),
      }),
    );
    boundary = policy.Policy!.Arn!;
    env = environmentSettingsSchema.parse({ ...base, permissionsBoundaryArn: boundary });
    await createFixtures(env);
    counter.attach(c);
    e = await engine(env);
  });

  afterAll(async () => {
    if (!fixturesCreated) return;
    await e?.close();
    const problems = await removeAll(env ?? environmentSettingsSchema.parse(base), after ? providerArnOf(after) : null);
    if (boundary) await awsClients(base.region).iam.send(new DeletePolicyCommand({ PolicyArn: boundary })).catch(() => undefined);
    if (problems.length) console.warn(`live AWS path suite: cleanup left ${problems.join(", ")}`);
  });

  it("creates the roles at the path with the boundary; the bucket policy names IAM's ARN", async () => {
    await e.apply();
    after = await observe(env);
    const rds = after["rds-role"] as ObservedRole;
    expect(rds.path).toBe("/platform/studio/");
    expect(rds.arn).toMatch(new RegExp(`:role/platform/studio/${env.rdsRoleName}$`));
    expect(rds.permissionsBoundary?.arn).toBe(boundary);
    const s3Arn = roleArnOf(after, env, "s3");
    expect(s3Arn).toMatch(/:role\/platform\/studio\//);
    const bucket = after["s3-bucket"] as ObservedBucket;
    expect(bucket.state).toBe("owned");
    if (bucket.state !== "owned") return;
    expect(statementsOf(bucket.policy).find((s) => s.Sid === "AllowSharedIAMRoleAccess")?.Principal).toEqual({ AWS: s3Arn });
  });

  it("a second apply changes nothing", async () => {
    counter.reset();
    await e.apply();
    expect(counter.mutating()).toEqual([]);
  });
});
