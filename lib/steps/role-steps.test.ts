import { describe, expect, it } from "vitest";
import { policiesEqual } from "@/lib/policies/policy-json";
import { FakeAws, fakeAwsPerTest } from "@/tests/support/fake-aws";
import { applySteps, stepContext } from "@/tests/support/step-context";
import { testSettings } from "@/tests/support/settings";
import { RDS_POLICY_NAME, S3_POLICY_NAME } from "./desired";
import { discoverStep } from "./discover";
import { discoverEnvironment } from "./discover-environment";
import { identityStep } from "./identity";
import { oidcProviderStep } from "./oidc-provider";
import { rdsRoleStep } from "./rds-role";
import { s3RoleStep } from "./s3-role";

const aws = fakeAwsPerTest();
const env = testSettings();
const HOST = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${HOST}`;

async function prior(e = env) {
  return (await applySteps(e, [identityStep, discoverStep, oidcProviderStep])).outputs;
}

function parsed(encoded: string | undefined) {
  return JSON.parse(decodeURIComponent(encoded ?? "null"));
}

const RDS_TRUST = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Federated: PROVIDER },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [`${HOST}:aud`]: "sts.amazonaws.com",
          [`${HOST}:sub`]: [
            "system:serviceaccount:rasa:studio-backend",
            "system:serviceaccount:rasa:studio-event-ingestion",
            "system:serviceaccount:rasa:studio-database-migration",
          ],
        },
      },
    },
  ],
};

describe("rds-role step", () => {
  it("fresh account: creates the role with the scoped trust, tags it, attaches rds-db:connect on the DbiResourceId", async () => {
    const ctx = stepContext(env, { outputs: await prior() });
    aws.fake.clearLog();
    const out = await rdsRoleStep.apply(ctx);
    expect(out).toEqual({
      roleName: "studio-staging-rds-role",
      roleArn: "arn:aws:iam::111122223333:role/studio-staging-rds-role",
      policyName: RDS_POLICY_NAME,
    });
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(["CreateRole", "PutRolePolicy"]);
    const role = aws.fake.roles.get("studio-staging-rds-role")!;
    expect(parsed(role.trust)).toEqual(RDS_TRUST);
    expect(role.tags).toEqual({ "managed-by": "studio-iam-console", "studio-environment": "staging" });
    expect(parsed(role.policies.get(RDS_POLICY_NAME))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["rds-db:connect"],
          Resource: ["arn:aws:rds-db:eu-west-1:111122223333:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXY1/studio_iam_user"],
        },
      ],
    });
    expect(ctx.checkpoints.at(-1)).toEqual(out);
    expect(ctx.logs.filter((l) => l.requestId).map((l) => l.message)).toEqual([
      "created IAM role arn:aws:iam::111122223333:role/studio-staging-rds-role",
      `attached inline policy ${RDS_POLICY_NAME} of IAM role studio-staging-rds-role`,
    ]);
  });

  it("Aurora: the policy uses the cluster resource id", async () => {
    const aurora = testSettings({ dbKind: "cluster", dbIdentifier: "studio-aurora" });
    aws.replace(new FakeAws({ dbKind: "cluster", dbId: "studio-aurora" }));
    await rdsRoleStep.apply(stepContext(aurora, { outputs: await prior(aurora) }));
    const doc = parsed(aws.fake.roles.get("studio-staging-rds-role")!.policies.get(RDS_POLICY_NAME));
    expect(doc.Statement[0].Resource).toEqual([
      "arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-ABCDEFGHIJKLMNOPQRSTUVWX/studio_iam_user",
    ]);
  });

  it("second run: unchanged with zero mutating calls; plan and verify agree", async () => {
    const outputs = await prior();
    await rdsRoleStep.apply(stepContext(env, { outputs }));
    aws.fake.clearLog();
    const ctx = stepContext(env, { outputs });
    await rdsRoleStep.apply(ctx);
    expect(aws.fake.mutatingCalls()).toEqual([]);
    expect(ctx.logs.map((l) => l.message)).toContain("IAM role studio-staging-rds-role already matches the plan: unchanged");
    const plan = rdsRoleStep.plan(env, await discoverEnvironment(env));
    expect(plan.map((c) => c.action)).toEqual(["unchanged", "unchanged", "unchanged"]);
    expect((await rdsRoleStep.verify(ctx)).map((c) => c.ok)).toEqual([true, true, true]);
  });

  it("drift in the trust policy: UpdateAssumeRolePolicy only (key and list order do not count as drift)", async () => {
    const outputs = await prior();
    // The guide's audience-only trust, written by hand, with its keys in another order.
    aws.fake.addRole(
      "studio-staging-rds-role",
      { Statement: [{ Condition: { StringEquals: { [`${HOST}:aud`]: "sts.amazonaws.com" } }, Action: "sts:AssumeRoleWithWebIdentity", Principal: { Federated: PROVIDER }, Effect: "Allow" }], Version: "2012-10-17" },
      { [RDS_POLICY_NAME]: { Version: "2012-10-17", Statement: { Effect: "Allow", Resource: "arn:aws:rds-db:eu-west-1:111122223333:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXY1/studio_iam_user", Action: "rds-db:connect" } } },
      { "managed-by": "studio-iam-console", "studio-environment": "staging" },
    );
    const plan = rdsRoleStep.plan(env, await discoverEnvironment(env));
    expect(plan.map((c) => [c.call, c.action])).toEqual([
      ["iam:UpdateAssumeRolePolicy", "update"],
      ["iam:PutRolePolicy", "unchanged"],
      ["iam:TagRole", "unchanged"],
    ]);
    aws.fake.clearLog();
    await rdsRoleStep.apply(stepContext(env, { outputs }));
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(["UpdateAssumeRolePolicy"]);
    expect(policiesEqual(parsed(aws.fake.roles.get("studio-staging-rds-role")!.trust), RDS_TRUST)).toBe(true);
  });

  it("drift in permissions and tags of a hand-made role: PutRolePolicy and TagRole, trust untouched", async () => {
    const outputs = await prior();
    aws.fake.addRole("studio-staging-rds-role", RDS_TRUST, {
      [RDS_POLICY_NAME]: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["rds-db:connect"], Resource: ["arn:aws:rds-db:eu-west-1:111122223333:dbuser:studio-db/*"] }] },
      "someone-elses-policy": { Version: "2012-10-17", Statement: [] },
    }, { team: "platform" });
    aws.fake.clearLog();
    await rdsRoleStep.apply(stepContext(env, { outputs }));
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(["TagRole", "PutRolePolicy"]);
    const role = aws.fake.roles.get("studio-staging-rds-role")!;
    expect(role.tags).toEqual({ team: "platform", "managed-by": "studio-iam-console", "studio-environment": "staging" });
    expect(role.policies.has("someone-elses-policy")).toBe(true);
  });

  it("AccessDenied on CreateRole names iam:CreateRole and the caller; nothing is checkpointed", async () => {
    aws.fake.deny("CreateRole", "iam:CreateRole");
    const ctx = stepContext(env, { outputs: await prior() });
    await expect(rdsRoleStep.apply(ctx)).rejects.toThrow(
      /access denied: arn:aws:iam::111122223333:user\/platform-admin is not allowed to call iam:CreateRole/,
    );
    expect(ctx.checkpoints).toEqual([]);
    expect(aws.fake.roles.size).toBe(0);
  });

  it("throttled GetRole, then success: retried by the SDK's retry strategy", async () => {
    const outputs = await prior();
    aws.fake.routeThroughSdk("iam");
    aws.fake.throttle("GetRole");
    aws.fake.clearLog();
    await rdsRoleStep.apply(stepContext(env, { outputs }));
    expect(aws.fake.calls("GetRole")).toHaveLength(2);
    expect(aws.fake.calls("CreateRole")).toHaveLength(1);
  });

  it("namespace and cluster scopes write the wider trust and warn in the plan", async () => {
    const wide = testSettings({ trustScope: "namespace" });
    const outputs = await prior(wide);
    await rdsRoleStep.apply(stepContext(wide, { outputs }));
    const trust = parsed(aws.fake.roles.get("studio-staging-rds-role")!.trust);
    expect(trust.Statement[0].Condition.StringLike).toEqual({ [`${HOST}:sub`]: "system:serviceaccount:rasa:*" });
    const clusterWide = testSettings({ trustScope: "cluster" });
    const [row] = rdsRoleStep.plan(clusterWide, await discoverEnvironment(clusterWide));
    expect(row).toMatchObject({ action: "update", call: "iam:UpdateAssumeRolePolicy" });
    expect(row.warnings?.[0]).toMatch(/any pod in the cluster can assume the role/);
  });
});

describe("s3-role step", () => {
  it("fresh account: trust names the model service account; policy splits bucket and object actions", async () => {
    await s3RoleStep.apply(stepContext(env, { outputs: await prior() }));
    const role = aws.fake.roles.get("studio-staging-s3-role")!;
    expect(parsed(role.trust).Statement[0].Condition.StringEquals[`${HOST}:sub`]).toEqual([
      "system:serviceaccount:rasa:studio-model-service",
    ]);
    const doc = parsed(role.policies.get(S3_POLICY_NAME));
    expect(doc.Statement.map((s: { Resource: string[] }) => s.Resource)).toEqual([
      ["arn:aws:s3:::studio-shared-storage-staging"],
      ["arn:aws:s3:::studio-shared-storage-staging/*"],
    ]);
  });

  it("refuses to create a role for a bucket of another account", async () => {
    aws.fake.buckets.set("studio-shared-storage-staging", { owner: "999988887777", region: "eu-west-1" });
    const ctx = stepContext(env, { outputs: await prior() });
    aws.fake.clearLog();
    await expect(s3RoleStep.apply(ctx)).rejects.toThrow(/belongs to another account/);
    expect(aws.fake.log).toEqual([]);
  });
});
