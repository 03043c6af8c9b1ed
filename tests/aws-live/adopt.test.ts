// Adopting only on purpose, against AWS_ENDPOINT_URL: a role made by hand with a statement trusting another
// principal and an administrator policy of the account attached (`*` on `*`; emulators do not all load AWS's own
// managed policies, so it is a customer managed one) is planned as `adopt` with both shown and warned about; the apply is
// refused (no mutating call) until its name is confirmed; then the foreign trust statement is kept.
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, DeletePolicyCommand, DetachRolePolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsCallCounter } from "@/lib/aws/call-counter";
import { awsClients } from "@/lib/aws/clients";
import type { ObservedRole } from "@/lib/aws/iam";
import type { EnvironmentSettings } from "@/lib/config/environment";
import { statementsOf } from "@/lib/policies/policy-json";
import { providerArnOf } from "@/lib/steps/oidc-provider";
import { buildPlan } from "@/lib/steps/plan";
import type { Facts } from "@/lib/steps/types";
import { engine, observe, type Engine } from "@/tests/support/engine";
import { liveEndpoint } from "./endpoint-guard";
import { liveSettings, prepareLive, removeAll } from "./fixtures";

const endpoint = liveEndpoint();
const env: EnvironmentSettings = liveSettings("live-adopt", "adopt");
const FOREIGN = {
  Sid: "OtherClusterJobs",
  Effect: "Allow",
  Principal: { Service: "ec2.amazonaws.com" },
  Action: "sts:AssumeRole",
};

describe.skipIf(!endpoint)(`live AWS: adopting a hand-made role against ${endpoint}`, () => {
  const counter = new AwsCallCounter();
  let fixturesCreated = false;
  let after: Facts | null = null;
  let e: Engine;
  let adminArn = "";

  beforeAll(async () => {
    fixturesCreated = await prepareLive(endpoint!, env);
    const c = awsClients(env.region);
    await c.iam.send(
      new CreateRoleCommand({ RoleName: env.rdsRoleName, AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [FOREIGN] }) }),
    );
    const policy = await c.iam.send(
      new CreatePolicyCommand({
        PolicyName: `${env.bucketName}-admin`,
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" }] }),
      }),
    );
    adminArn = policy.Policy!.Arn!;
    await c.iam.send(new AttachRolePolicyCommand({ RoleName: env.rdsRoleName, PolicyArn: adminArn }));
    counter.attach(c);
    e = await engine(env);
  });

  afterAll(async () => {
    if (!fixturesCreated) return;
    await e?.close();
    const c = awsClients(env.region);
    await c.iam.send(new DetachRolePolicyCommand({ RoleName: env.rdsRoleName, PolicyArn: adminArn })).catch(() => undefined);
    await c.iam.send(new DeletePolicyCommand({ PolicyArn: adminArn })).catch(() => undefined);
    const problems = await removeAll(env, after ? providerArnOf(after) : null);
    if (problems.length) console.warn(`live AWS adopt suite: cleanup left ${problems.join(", ")}`);
  });

  it("plans adopt with the attached policy and the foreign trust statement, warning about its * actions", async () => {
    const plan = buildPlan(env, await observe(env));
    const adopt = plan.steps.find((s) => s.key === "rds-role")!.changes[0];
    expect(adopt).toMatchObject({ action: "adopt", call: "iam:TagRole", confirmName: env.rdsRoleName });
    const existing = JSON.parse(adopt.document!).Existing;
    expect(existing.AttachedManagedPolicies).toEqual([{ PolicyName: `${env.bucketName}-admin`, PolicyArn: adminArn }]);
    expect(existing.TrustStatements).toEqual([FOREIGN]);
    expect(adopt.warnings).toContain(`managed policy ${env.bucketName}-admin attached to IAM role ${env.rdsRoleName}: statement Everything allows *`);
  });

  it("refuses the apply without the typed name and calls nothing that changes the account", async () => {
    counter.reset();
    const { view } = await e.apply();
    expect(view.status).toBe("failed");
    expect(view.error).toContain(`confirmAdopt:${env.rdsRoleName}`);
    expect(counter.mutating()).toEqual([]);
  });

  it("with the name typed: adopted (tagged) and the foreign trust statement kept beside the console's", async () => {
    const { view } = await e.apply({ confirmedAdoptions: [env.rdsRoleName] });
    expect(view.steps.find((s) => s.key === "rds-role")!.status).toBe("succeeded");
    after = await observe(env);
    const role = after["rds-role"] as ObservedRole;
    expect(role.tags).toMatchObject({ "managed-by": "studio-iam-console", "studio-environment": "live-adopt" });
    const trust = statementsOf(role.trustPolicy);
    expect(trust).toContainEqual(FOREIGN);
    expect(trust.map((s) => s.Sid)).toContain("AllowStudioServiceAccountsWebIdentity");
    expect(buildPlan(env, after).steps.flatMap((s) => s.changes).some((c) => c.action === "adopt")).toBe(false);
  });
});
