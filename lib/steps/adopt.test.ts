// Adopting only on purpose: roles and buckets the console did not create for this environment show as `adopt`
// with everything they already have, broad grants are warned about, the apply is refused until the admin typed
// the name, and trust updates keep statements the console does not own.
import { describe, expect, it } from "vitest";
import { policiesEqual } from "@/lib/policies/policy-json";
import { FakeAws, fakeAwsPerTest } from "@/tests/support/fake-aws";
import { engine, observe } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";
import { adoptField } from "./adopt";
import { rdsRoleStep } from "./rds-role";
import { RDS_POLICY_NAME } from "./role-step";
import { s3BucketStep } from "./s3-bucket";

const aws = fakeAwsPerTest();
const env = testSettings();
const HOST = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${HOST}`;
const OTHER_CLUSTER = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/OTHERCLUSTER0000000000000000000";
const FOREIGN = {
  Sid: "BatchClusterJobs",
  Effect: "Allow",
  Principal: { Federated: OTHER_CLUSTER },
  Action: "sts:AssumeRoleWithWebIdentity",
  Condition: { StringEquals: { "oidc.eks.eu-west-1.amazonaws.com/id/OTHERCLUSTER0000000000000000000:sub": "system:serviceaccount:batch:runner" } },
};
// The guide's audience-only statement, as someone typed it by hand: it trusts this cluster's provider, so the
// console's own statement replaces it (keeping it would let any pod of the cluster in).
const GUIDE_STATEMENT = {
  Effect: "Allow",
  Principal: { Federated: PROVIDER },
  Action: "sts:AssumeRoleWithWebIdentity",
  Condition: { StringEquals: { [`${HOST}:aud`]: "sts.amazonaws.com" } },
};

const trustOf = (name: string) => JSON.parse(decodeURIComponent(aws.fake.roles.get(name)!.trust));

function handMadeAdminRole() {
  aws.fake.addRole(
    env.rdsRoleName,
    { Version: "2012-10-17", Statement: [FOREIGN, GUIDE_STATEMENT] },
    { "ops-everything": { Version: "2012-10-17", Statement: [{ Sid: "Ops", Effect: "Allow", Action: "ec2:*", Resource: "*" }] } },
    { team: "platform" },
    { attached: ["arn:aws:iam::aws:policy/AdministratorAccess"], boundary: "arn:aws:iam::aws:policy/PowerUserAccess", path: "/platform/" },
  );
}

describe("adopting a role", () => {
  it("shows adopt first with every policy, the boundary and every trust statement, and warns about broad grants", async () => {
    handMadeAdminRole();
    const facts = await observe(env);
    const changes = rdsRoleStep.changes(facts, env);
    expect(changes.map((c) => [c.id, c.action])).toEqual([
      ["rds-role:adopt", "adopt"],
      ["rds-role:trust", "update"],
      ["rds-role:policy", "create"],
    ]);
    const adopt = changes[0];
    expect(adopt).toMatchObject({ call: "iam:TagRole", confirmName: env.rdsRoleName, resource: `IAM role ${env.rdsRoleName}` });
    expect(adopt.reason).toMatch(/not created by the console .*type its name/);
    const doc = JSON.parse(adopt.document!);
    expect(doc.Tags).toEqual([
      { Key: "managed-by", Value: "studio-iam-console" },
      { Key: "studio-environment", Value: "staging" },
      { Key: "studio-adopted", Value: "true" },
    ]);
    expect(doc.Existing).toMatchObject({
      Arn: `arn:aws:iam::111122223333:role/platform/${env.rdsRoleName}`,
      Path: "/platform/",
      PermissionsBoundary: "arn:aws:iam::aws:policy/PowerUserAccess",
      AttachedManagedPolicies: [{ PolicyName: "AdministratorAccess", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }],
      InlinePolicies: { "ops-everything": { Statement: [{ Action: "ec2:*" }] } },
      TrustStatements: [FOREIGN, GUIDE_STATEMENT],
    });
    expect(adopt.warnings).toEqual([
      `IAM role ${env.rdsRoleName} has AdministratorAccess attached: Studio's pods would get it`,
      `inline policy ops-everything of IAM role ${env.rdsRoleName}: statement Ops allows ec2:*`,
      `IAM role ${env.rdsRoleName} already has 2 trust statements: the trust update keeps every statement the console does not own`,
    ]);
  });

  it("a role the console created for another environment is adopted too, naming that environment", async () => {
    aws.fake.addRole(env.rdsRoleName, { Version: "2012-10-17", Statement: [] }, {}, { "managed-by": "studio-iam-console", "studio-environment": "production" });
    const adopt = rdsRoleStep.changes(await observe(env), env)[0];
    expect(adopt.action).toBe("adopt");
    expect(adopt.reason).toMatch(/created by the console for environment production, not staging/);
  });

  it("the trust update keeps the foreign statement (merged by Sid) and replaces the guide's audience-only one", async () => {
    handMadeAdminRole();
    const trust = rdsRoleStep.changes(await observe(env), env)[1];
    expect(trust.reason).toMatch(/1 other statement of the role kept/);
    aws.fake.db!.pollsUntilApplied = 1;
    const e = await engine(env);
    const { view } = await e.apply({ confirmedAdoptions: [env.rdsRoleName] });
    expect(view.steps.find((s) => s.key === "rds-role")!.status).toBe("succeeded");
    const after = trustOf(env.rdsRoleName);
    expect(after.Statement).toHaveLength(2);
    expect(after.Statement[0]).toEqual(FOREIGN);
    expect(after.Statement[1].Sid).toBe("AllowStudioServiceAccountsWebIdentity");
    expect(after.Statement[1].Condition.StringEquals[`${HOST}:sub`]).toHaveLength(3);
    // Adopted: tagged, its own policies left alone, the console's policy added.
    const role = aws.fake.roles.get(env.rdsRoleName)!;
    expect(role.tags).toEqual({ team: "platform", "managed-by": "studio-iam-console", "studio-environment": "staging", "studio-adopted": "true" });
    expect(role.policies.has("ops-everything")).toBe(true);
    expect(role.policies.has(RDS_POLICY_NAME)).toBe(true);
    // Converged: the next plan has no adopt row and nothing to do for the role.
    const again = rdsRoleStep.changes(await observe(env), env);
    expect(again.map((c) => [c.id, c.action])).toEqual([
      ["rds-role:trust", "unchanged"],
      ["rds-role:tags", "unchanged"],
      ["rds-role:policy", "unchanged"],
    ]);
    await e.close();
  });

  it("apply is refused without the typed name: the refusal names the field, nothing is called", async () => {
    handMadeAdminRole();
    const e = await engine(env);
    const plan = await e.refreshPlan();
    aws.fake.clearLog();
    const { view } = await e.apply({ plan });
    expect(view.status).toBe("failed");
    expect(view.error).toContain(`type "${env.rdsRoleName}" in ${adoptField(env.rdsRoleName)} to adopt IAM role ${env.rdsRoleName}`);
    expect(aws.fake.mutatingCalls()).toEqual([]);
    expect(policiesEqual(trustOf(env.rdsRoleName), { Version: "2012-10-17", Statement: [FOREIGN, GUIDE_STATEMENT] })).toBe(true);
    // Another name typed is no confirmation either.
    const wrong = await e.apply({ plan: await e.refreshPlan(), confirmedAdoptions: ["studio-staging-s3-role"] });
    expect(wrong.view.status).toBe("failed");
    expect(aws.fake.mutatingCalls()).toEqual([]);
    await e.close();
  });

  it("aws-cn: AdministratorAccess in the China partition is recognised", async () => {
    aws.replace(new FakeAws({ region: "cn-north-1" }));
    const cn = testSettings({ region: "cn-north-1" });
    const id = (await observe(cn)).identity as { partition: string; accountId: string };
    expect(id.partition).toBe("aws-cn");
    aws.fake.addRole(cn.rdsRoleName, { Version: "2012-10-17", Statement: [] }, {}, {}, { attached: ["arn:aws-cn:iam::aws:policy/AdministratorAccess"] });
    const adopt = rdsRoleStep.changes(await observe(cn), cn)[0];
    expect(adopt.warnings?.[0]).toBe(`IAM role ${cn.rdsRoleName} has AdministratorAccess attached: Studio's pods would get it`);
  });
});

describe("adopting a bucket", () => {
  it("an untagged bucket of this account shows adopt with its policy statements and warns about a public grant", async () => {
    const publicRead = { Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${env.bucketName}/*` };
    aws.fake.buckets.set(env.bucketName, {
      owner: "111122223333",
      region: "eu-west-1",
      versioning: "Enabled",
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [publicRead] }),
      tags: { team: "ml" },
    });
    const changes = s3BucketStep.changes(await observe(env), env);
    const adopt = changes.find((c) => c.action === "adopt")!;
    expect(adopt).toMatchObject({ id: "s3-bucket:adopt", call: "s3:PutBucketTagging", confirmName: env.bucketName });
    expect(JSON.parse(adopt.document!).Existing).toMatchObject({ PolicyStatements: [publicRead], Versioning: "Enabled", Tags: { team: "ml" } });
    expect(adopt.warnings).toEqual([`bucket policy of S3 bucket ${env.bucketName}: statement PublicRead allows anyone (Principal *)`]);
    expect(changes.some((c) => c.id === "s3-bucket:tags")).toBe(false);
  });

  it("is refused without the typed name and adopted with it; the owner's tags stay", async () => {
    aws.fake.buckets.set(env.bucketName, { owner: "111122223333", region: "eu-west-1", tags: { team: "ml" } });
    aws.fake.db!.pollsUntilApplied = 1;
    const e = await engine(env);
    const refused = await e.apply();
    expect(refused.view.error).toContain(`type "${env.bucketName}" in ${adoptField(env.bucketName)} to adopt S3 bucket ${env.bucketName}`);
    expect(aws.fake.mutatingCalls()).toEqual([]);
    const { view } = await e.apply({ confirmedAdoptions: [env.bucketName] });
    expect(view.steps.find((s) => s.key === "s3-bucket")!.status).toBe("succeeded");
    expect(aws.fake.buckets.get(env.bucketName)!.tags).toEqual({ team: "ml", "managed-by": "studio-iam-console", "studio-environment": "staging", "studio-adopted": "true" });
    expect(s3BucketStep.changes(await observe(env), env).some((c) => c.action === "adopt")).toBe(false);
    await e.close();
  });
});
