import { describe, expect, it } from "vitest";
import { policiesEqual } from "@/lib/policies/policy-json";
import { FakeAws, fakeAwsPerTest } from "@/tests/support/fake-aws";
import { actionsOf, applyStep, observe } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";
import { rdsRoleStep } from "./rds-role";
import { RDS_POLICY_NAME, S3_POLICY_NAME } from "./role-step";
import { s3RoleStep } from "./s3-role";

const aws = fakeAwsPerTest();
const env = testSettings();
const HOST = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${HOST}`;

function parsed(encoded: string | undefined) {
  return JSON.parse(decodeURIComponent(encoded ?? "null"));
}

const RDS_TRUST = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "AllowStudioServiceAccountsWebIdentity",
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
    const { changes, results, logs } = await applyStep(rdsRoleStep, env);
    expect(changes.map((c) => [c.id, c.action])).toEqual([
      ["rds-role:role", "create"],
      ["rds-role:policy", "create"],
    ]);
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(["CreateRole", "PutRolePolicy"]);
    const role = aws.fake.roles.get("studio-staging-rds-role")!;
    expect(parsed(role.trust)).toEqual(RDS_TRUST);
    // What was sent is what the plan showed.
    expect(JSON.parse(changes[0].document!)).toEqual(RDS_TRUST);
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
    expect(results[0]).toEqual({ roleArn: "arn:aws:iam::111122223333:role/studio-staging-rds-role" });
    expect(logs.filter((l) => l.requestId).map((l) => l.message)).toEqual([
      "created IAM role arn:aws:iam::111122223333:role/studio-staging-rds-role",
      `attached inline policy ${RDS_POLICY_NAME} of IAM role studio-staging-rds-role`,
    ]);
  });

  it("Aurora: the policy uses the cluster resource id", async () => {
    const aurora = testSettings({ dbKind: "cluster", dbIdentifier: "studio-aurora" });
    aws.replace(new FakeAws({ dbKind: "cluster", dbId: "studio-aurora" }));
    await applyStep(rdsRoleStep, aurora);
    const doc = parsed(aws.fake.roles.get("studio-staging-rds-role")!.policies.get(RDS_POLICY_NAME));
    expect(doc.Statement[0].Resource).toEqual([
      "arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-ABCDEFGHIJKLMNOPQRSTUVWX/studio_iam_user",
    ]);
  });

  it("second run: every change unchanged, zero mutating calls", async () => {
    await applyStep(rdsRoleStep, env);
    aws.fake.clearLog();
    const { changes } = await applyStep(rdsRoleStep, env);
    expect(aws.fake.mutatingCalls()).toEqual([]);
    expect(changes.map((c) => [c.id, c.action])).toEqual([
      ["rds-role:trust", "unchanged"],
      ["rds-role:tags", "unchanged"],
      ["rds-role:policy", "unchanged"],
    ]);
  });

  it("drift in the trust policy: UpdateAssumeRolePolicy only (key and list order do not count as drift)", async () => {
    // The guide's audience-only trust, written by hand, with its keys in another order.
    aws.fake.addRole(
      "studio-staging-rds-role",
      { Statement: [{ Condition: { StringEquals: { [`${HOST}:aud`]: "sts.amazonaws.com" } }, Action: "sts:AssumeRoleWithWebIdentity", Principal: { Federated: PROVIDER }, Effect: "Allow" }], Version: "2012-10-17" },
      { [RDS_POLICY_NAME]: { Version: "2012-10-17", Statement: { Effect: "Allow", Resource: "arn:aws:rds-db:eu-west-1:111122223333:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXY1/studio_iam_user", Action: "rds-db:connect" } } },
      { "managed-by": "studio-iam-console", "studio-environment": "staging" },
    );
    expect(await actionsOf(rdsRoleStep, env)).toEqual([
      ["iam:UpdateAssumeRolePolicy", "update"],
      ["iam:TagRole", "unchanged"],
      ["iam:PutRolePolicy", "unchanged"],
    ]);
    aws.fake.clearLog();
    await applyStep(rdsRoleStep, env);
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(["UpdateAssumeRolePolicy"]);
    expect(policiesEqual(parsed(aws.fake.roles.get("studio-staging-rds-role")!.trust), RDS_TRUST)).toBe(true);
  });

  it("a hand-made role (adopted) with drifted permissions: TagRole as the adoption, PutRolePolicy, trust untouched", async () => {
    aws.fake.addRole("studio-staging-rds-role", RDS_TRUST, {
      [RDS_POLICY_NAME]: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["rds-db:connect"], Resource: ["arn:aws:rds-db:eu-west-1:111122223333:dbuser:studio-db/*"] }] },
      "someone-elses-policy": { Version: "2012-10-17", Statement: [] },
    }, { team: "platform" });
    aws.fake.clearLog();
    const { changes } = await applyStep(rdsRoleStep, env);
    expect(changes.map((c) => [c.id, c.action])).toEqual([
      ["rds-role:adopt", "adopt"],
      ["rds-role:trust", "unchanged"],
      ["rds-role:policy", "update"],
    ]);
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(["TagRole", "PutRolePolicy"]);
    const role = aws.fake.roles.get("studio-staging-rds-role")!;
    expect(role.tags).toEqual({ team: "platform", "managed-by": "studio-iam-console", "studio-environment": "staging", "studio-adopted": "true" });
    expect(role.policies.has("someone-elses-policy")).toBe(true);
  });

  it("AccessDenied on CreateRole names iam:CreateRole and the caller; nothing is created", async () => {
    aws.fake.deny("CreateRole", "iam:CreateRole");
    await expect(applyStep(rdsRoleStep, env)).rejects.toThrow(
      /access denied: arn:aws:iam::111122223333:user\/platform-admin is not allowed to call iam:CreateRole/,
    );
    expect(aws.fake.roles.size).toBe(0);
  });

  it("a role of the same name made by someone else between plan and apply is not taken over: CreateRole's EntityAlreadyExists stands", async () => {
    // Only a role with this request's own tags and trust counts as created by an earlier, lost attempt (tests/robust/mixed-faults.robust.ts).
    aws.fake.before("CreateRole", () => aws.fake.addRole("studio-staging-rds-role", RDS_TRUST, {}, { team: "platform" }));
    await expect(applyStep(rdsRoleStep, env)).rejects.toThrow(/iam:CreateRole failed: EntityAlreadyExistsException/);
    expect(aws.fake.roles.get("studio-staging-rds-role")!.tags).toEqual({ team: "platform" });
  });

  it("throttled GetRole, then success: retried by the SDK's retry strategy", async () => {
    aws.fake.routeThroughSdk("iam");
    aws.fake.throttle("GetRole");
    await applyStep(rdsRoleStep, env);
    expect(aws.fake.calls("GetRole").length).toBeGreaterThanOrEqual(3); // the throttled try, the retry, the S3 role's read
    expect(aws.fake.calls("CreateRole")).toHaveLength(1);
  });

  it("namespace and cluster scopes write the wider trust and warn in the plan", async () => {
    const wide = testSettings({ trustScope: "namespace" });
    await applyStep(rdsRoleStep, wide);
    const trust = parsed(aws.fake.roles.get("studio-staging-rds-role")!.trust);
    expect(trust.Statement[0].Condition.StringLike).toEqual({ [`${HOST}:sub`]: "system:serviceaccount:rasa:*" });
    const clusterWide = testSettings({ trustScope: "cluster" });
    const facts = await observe(clusterWide);
    expect(rdsRoleStep.changes(facts, clusterWide)[0]).toMatchObject({ action: "update", call: "iam:UpdateAssumeRolePolicy" });
    expect(rdsRoleStep.warnings!(facts, clusterWide)[0]).toMatch(/any pod in the cluster can assume the role/);
  });
});

describe("s3-role step", () => {
  it("fresh account: trust names the model service account; policy splits bucket and object actions", async () => {
    await applyStep(s3RoleStep, env);
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
    await expect(applyStep(s3RoleStep, env)).rejects.toThrow(/belongs to another account/);
    expect(aws.fake.mutatingCalls()).toEqual([]);
  });
});
