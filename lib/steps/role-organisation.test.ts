// Organisation rules for the roles: the permissions boundary and the role path reach CreateRole, an existing
// role gets the boundary, role ARNs (values.yaml, policies, plan) are IAM's, with the path, in every partition;
// the operator policy is scoped to the path.
import { describe, expect, it } from "vitest";
import { environmentSettingsSchema } from "@/lib/config/environment";
import { renderValues } from "@/lib/helm";
import { FakeAws, fakeAwsPerTest } from "@/tests/support/fake-aws";
import { applyStep, observe } from "@/tests/support/engine";
import { testSettings, VALID_SETTINGS } from "@/tests/support/settings";
import { operatorPolicy } from "./operator-policy";
import { rdsRoleStep } from "./rds-role";
import { roleArnOf } from "./role-step";
import { s3BucketPolicyStep } from "./s3-bucket-policy";
import { s3RoleStep } from "./s3-role";

const aws = fakeAwsPerTest();
const PATH = "/platform/studio/";

function boundaryIn(fake: FakeAws): string {
  return fake.addManagedPolicy("StudioBoundary", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["rds-db:connect", "s3:*"], Resource: "*" }] });
}

describe.each([
  ["aws", "eu-west-1"],
  ["aws-cn", "cn-north-1"],
  ["aws-us-gov", "us-gov-west-1"],
])("role path and permissions boundary in partition %s", (partition, region) => {
  it("reach CreateRole; the role ARN in the plan, the bucket policy and values.yaml is IAM's, with the path", async () => {
    aws.replace(new FakeAws({ region }));
    const boundary = boundaryIn(aws.fake);
    expect(boundary).toBe(`arn:${partition}:iam::111122223333:policy/StudioBoundary`);
    const env = testSettings({ region, rolePath: PATH, permissionsBoundaryArn: boundary });
    const expected = `arn:${partition}:iam::111122223333:role/platform/studio/studio-staging-rds-role`;

    // Before the role exists the ARN is predicted with the path; the plan's row says path and boundary.
    const before = await observe(env);
    expect(roleArnOf(before, env, "rds")).toBe(expected);
    const create = rdsRoleStep.changes(before, env)[0];
    expect(create.reason).toContain(`path ${PATH}; permissions boundary ${boundary}`);

    await applyStep(rdsRoleStep, env);
    await applyStep(s3RoleStep, env);
    const sent = aws.fake.calls("CreateRole")[0].input;
    expect(sent).toMatchObject({ RoleName: "studio-staging-rds-role", Path: PATH, PermissionsBoundary: boundary });
    const role = aws.fake.roles.get("studio-staging-rds-role")!;
    expect(role.arn).toBe(expected);

    const after = await observe(env);
    expect(roleArnOf(after, env, "rds")).toBe(expected);
    const s3Arn = roleArnOf(after, env, "s3")!;
    expect(s3Arn).toBe(`arn:${partition}:iam::111122223333:role/platform/studio/studio-staging-s3-role`);
    // The bucket policy's grant names the role by IAM's ARN.
    const policy = JSON.parse(s3BucketPolicyStep.changes(after, env)[0].document!);
    expect(policy.Statement.find((s: { Sid?: string }) => s.Sid === "AllowSharedIAMRoleAccess").Principal).toEqual({ AWS: s3Arn });
    // values.yaml: the service accounts' role-arn annotations.
    const values = renderValues(env, { rdsRoleArn: roleArnOf(after, env, "rds")!, s3RoleArn: s3Arn });
    expect(values).toContain(`eks.amazonaws.com/role-arn: ${expected}`);
    // A second run: nothing to do, the boundary row unchanged.
    const again = rdsRoleStep.changes(after, env);
    expect(again.map((c) => [c.id, c.action])).toEqual([
      ["rds-role:trust", "unchanged"],
      ["rds-role:tags", "unchanged"],
      ["rds-role:boundary", "unchanged"],
      ["rds-role:policy", "unchanged"],
    ]);
  });

  it("the operator policy names the roles at the path", () => {
    const env = testSettings({ region, rolePath: PATH });
    const doc = operatorPolicy({ settings: env, accountId: "111122223333" });
    const createRole = doc.Statement.filter((s) => ([] as string[]).concat(s.Action).includes("iam:CreateRole")).map((s) => s.Resource);
    expect(createRole).toEqual([
      [`arn:${partition}:iam::111122223333:role/platform/studio/studio-staging-rds-role`],
      [`arn:${partition}:iam::111122223333:role/platform/studio/studio-staging-s3-role`],
    ]);
    expect(JSON.stringify(doc)).toContain("iam:PutRolePermissionsBoundary");
  });
});

describe("an existing role and the boundary setting", () => {
  it("a role of this environment without the boundary gets it (PutRolePermissionsBoundary), nothing else", async () => {
    const env0 = testSettings();
    await applyStep(rdsRoleStep, env0);
    const boundary = boundaryIn(aws.fake);
    const env = testSettings({ permissionsBoundaryArn: boundary });
    aws.fake.clearLog();
    const { changes } = await applyStep(rdsRoleStep, env);
    expect(changes.find((c) => c.id === "rds-role:boundary")).toMatchObject({ action: "update", reason: "role has no permissions boundary" });
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(["PutRolePermissionsBoundary"]);
    expect(aws.fake.roles.get("studio-staging-rds-role")!.boundary).toBe(boundary);
  });

  it("a role at another path keeps it (IAM cannot move roles): warned, and its ARN is IAM's", async () => {
    aws.fake.addRole("studio-staging-rds-role", {}, {}, { "managed-by": "studio-iam-console", "studio-environment": "staging" }, { path: "/legacy/" });
    const env = testSettings({ rolePath: PATH });
    const facts = await observe(env);
    expect(rdsRoleStep.warnings!(facts, env)).toContain(
      `IAM role studio-staging-rds-role is at path /legacy/, the settings say ${PATH}: IAM cannot move a role, so its ARN stays arn:aws:iam::111122223333:role/legacy/studio-staging-rds-role`,
    );
    expect(roleArnOf(facts, env, "rds")).toBe("arn:aws:iam::111122223333:role/legacy/studio-staging-rds-role");
  });
});

describe("settings: role path and permissions boundary", () => {
  const parse = (extra: Record<string, unknown>) => environmentSettingsSchema.safeParse({ ...VALID_SETTINGS, ...extra });
  const errorsOf = (extra: Record<string, unknown>) => {
    const r = parse(extra);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")} ${i.message}`);
  };

  it("the path defaults to / and follows IAM's rule", () => {
    expect(parse({}).data?.rolePath).toBe("/");
    expect(parse({ rolePath: "/platform/studio/" }).success).toBe(true);
    for (const bad of ["platform/", "/platform", "/a//b/", "/with space/"])
      expect(errorsOf({ rolePath: bad })).toEqual(["rolePath must start and end with / with no empty segment, for example /platform/studio/"]);
  });

  it("the boundary is a managed policy ARN in the region's partition", () => {
    expect(parse({ permissionsBoundaryArn: "arn:aws:iam::111122223333:policy/org/StudioBoundary" }).success).toBe(true);
    expect(parse({ permissionsBoundaryArn: "arn:aws:iam::aws:policy/PowerUserAccess" }).success).toBe(true);
    expect(errorsOf({ permissionsBoundaryArn: "arn:aws:iam::111122223333:role/StudioBoundary" })).toEqual([
      "permissionsBoundaryArn must be the ARN of a managed policy, for example arn:aws:iam::111122223333:policy/StudioBoundary",
    ]);
    expect(errorsOf({ region: "cn-north-1", permissionsBoundaryArn: "arn:aws:iam::111122223333:policy/B" })).toEqual([
      "permissionsBoundaryArn must be in partition aws-cn (region cn-north-1), not aws",
    ]);
    expect(errorsOf({ region: "us-gov-west-1", permissionsBoundaryArn: "arn:aws-cn:iam::111122223333:policy/B" })).toEqual([
      "permissionsBoundaryArn must be in partition aws-us-gov (region us-gov-west-1), not aws-cn",
    ]);
  });
});
