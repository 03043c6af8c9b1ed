// The fake IAM through the real SDK client: roles with a path and a permissions boundary, managed policies
// (AWS's and the account's) attached and read, deletion rules, and OIDC provider tags.
import {
  AttachRolePolicyCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeleteConflictException,
  DeleteOpenIDConnectProviderCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  ListRolesCommand,
  ListAttachedRolePoliciesCommand,
  ListOpenIDConnectProviderTagsCommand,
  NoSuchEntityException,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagOpenIDConnectProviderCommand,
} from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { fakeAwsPerTest } from "./index";

const aws = fakeAwsPerTest();
const iam = () => new IAMClient({ region: "eu-west-1" });
const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const POWER_USER = "arn:aws:iam::aws:policy/PowerUserAccess";
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
const decoded = (s: string | undefined) => JSON.parse(decodeURIComponent(s ?? "null"));

describe("fake IAM", () => {
  it("CreateRole with a path and a permissions boundary: the ARN has the path; GetRole answers Path, PermissionsBoundary and Tags", async () => {
    const { Role: created } = await iam().send(
      new CreateRoleCommand({ RoleName: "studio-s3", Path: "/studio/", AssumeRolePolicyDocument: TRUST, PermissionsBoundary: POWER_USER, Tags: [{ Key: "team", Value: "ml" }] }),
    );
    expect(created?.Arn).toBe("arn:aws:iam::111122223333:role/studio/studio-s3");
    const { Role } = await iam().send(new GetRoleCommand({ RoleName: "studio-s3" }));
    expect(Role).toMatchObject({
      RoleName: "studio-s3",
      Path: "/studio/",
      Arn: "arn:aws:iam::111122223333:role/studio/studio-s3",
      PermissionsBoundary: { PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: POWER_USER },
      Tags: [{ Key: "team", Value: "ml" }],
      RoleLastUsed: {},
    });
    expect(Role?.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(decoded(Role?.AssumeRolePolicyDocument)).toEqual(JSON.parse(TRUST));

    const err = await iam()
      .send(new CreateRoleCommand({ RoleName: "other", AssumeRolePolicyDocument: TRUST, PermissionsBoundary: "arn:aws:iam::111122223333:policy/nope" }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoSuchEntityException);
    expect(err).toMatchObject({ message: "Scope ARN: arn:aws:iam::111122223333:policy/nope does not exist or is not attachable." });
    await expect(iam().send(new CreateRoleCommand({ RoleName: "STUDIO-S3", AssumeRolePolicyDocument: TRUST }))).rejects.toMatchObject({
      name: "EntityAlreadyExistsException",
    });
  });

  it("managed policies: AWS's with their published documents, the account's own; attach, list, detach", async () => {
    aws.fake.addRole("r", JSON.parse(TRUST));
    const { Policy } = await iam().send(new GetPolicyCommand({ PolicyArn: ADMIN }));
    expect(Policy).toMatchObject({ PolicyName: "AdministratorAccess", DefaultVersionId: "v1", AttachmentCount: 0, IsAttachable: true });
    const { PolicyVersion } = await iam().send(new GetPolicyVersionCommand({ PolicyArn: ADMIN, VersionId: "v1" }));
    expect(decoded(PolicyVersion?.Document)).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
    const power = await iam().send(new GetPolicyCommand({ PolicyArn: POWER_USER }));
    const powerDoc = decoded((await iam().send(new GetPolicyVersionCommand({ PolicyArn: POWER_USER, VersionId: power.Policy!.DefaultVersionId }))).PolicyVersion?.Document);
    expect(powerDoc.Statement[0]).toEqual({ Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" });

    const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] };
    const own = await iam().send(new CreatePolicyCommand({ PolicyName: "studio-read", Path: "/studio/", PolicyDocument: JSON.stringify(doc) }));
    expect(own.Policy?.Arn).toBe("arn:aws:iam::111122223333:policy/studio/studio-read");

    await iam().send(new AttachRolePolicyCommand({ RoleName: "r", PolicyArn: ADMIN }));
    await iam().send(new AttachRolePolicyCommand({ RoleName: "r", PolicyArn: own.Policy!.Arn }));
    await iam().send(new AttachRolePolicyCommand({ RoleName: "r", PolicyArn: ADMIN }));
    const attached = await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: "r" }));
    expect(attached.AttachedPolicies).toEqual([
      { PolicyName: "AdministratorAccess", PolicyArn: ADMIN },
      { PolicyName: "studio-read", PolicyArn: own.Policy!.Arn },
    ]);
    expect((await iam().send(new GetPolicyCommand({ PolicyArn: ADMIN }))).Policy?.AttachmentCount).toBe(1);
    expect(decoded((await iam().send(new GetPolicyVersionCommand({ PolicyArn: own.Policy!.Arn, VersionId: "v1" }))).PolicyVersion?.Document)).toEqual(doc);

    await iam().send(new DetachRolePolicyCommand({ RoleName: "r", PolicyArn: ADMIN }));
    expect(aws.fake.roles.get("r")?.attached).toEqual([own.Policy!.Arn]);
    await expect(iam().send(new DetachRolePolicyCommand({ RoleName: "r", PolicyArn: ADMIN }))).rejects.toBeInstanceOf(NoSuchEntityException);
    await expect(iam().send(new AttachRolePolicyCommand({ RoleName: "r", PolicyArn: "arn:aws:iam::aws:policy/NoSuchPolicy" }))).rejects.toMatchObject({
      name: "NoSuchEntityException",
      message: "Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.",
    });
  });

  it("PutRolePermissionsBoundary sets the boundary; DeleteRole refuses while policies remain (DeleteConflict)", async () => {
    aws.fake.addRole("r", JSON.parse(TRUST), { inline: { Version: "2012-10-17", Statement: [] } }, {}, { attached: [ADMIN] });
    await iam().send(new PutRolePermissionsBoundaryCommand({ RoleName: "r", PermissionsBoundary: POWER_USER }));
    expect(aws.fake.roles.get("r")?.boundary).toBe(POWER_USER);

    const inline = await iam().send(new DeleteRoleCommand({ RoleName: "r" })).catch((e: unknown) => e);
    expect(inline).toBeInstanceOf(DeleteConflictException);
    expect(inline).toMatchObject({ message: "Cannot delete entity, must delete policies first.", $metadata: { httpStatusCode: 409 } });
    await iam().send(new DeleteRolePolicyCommand({ RoleName: "r", PolicyName: "inline" }));
    await expect(iam().send(new DeleteRolePolicyCommand({ RoleName: "r", PolicyName: "inline" }))).rejects.toBeInstanceOf(NoSuchEntityException);
    await expect(iam().send(new DeleteRoleCommand({ RoleName: "r" }))).rejects.toMatchObject({ message: "Cannot delete entity, must detach all policies first." });
    await iam().send(new DetachRolePolicyCommand({ RoleName: "r", PolicyArn: ADMIN }));
    await iam().send(new DeleteRoleCommand({ RoleName: "r" }));
    expect(aws.fake.roles.has("r")).toBe(false);
    await expect(iam().send(new PutRolePolicyCommand({ RoleName: "r", PolicyName: "p", PolicyDocument: "{}" }))).rejects.toBeInstanceOf(NoSuchEntityException);
  });

  it("OIDC providers: tags on create, TagOpenIDConnectProvider, read back by both calls; delete", async () => {
    const { OpenIDConnectProviderArn: arn } = await iam().send(
      new CreateOpenIDConnectProviderCommand({ Url: "https://oidc.eks.eu-west-1.amazonaws.com/id/X", ClientIDList: ["sts.amazonaws.com"], Tags: [{ Key: "a", Value: "1" }] }),
    );
    expect(arn).toBe("arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X");
    await iam().send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, Tags: [{ Key: "b", Value: "2" }] }));
    const got = await iam().send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    expect(got).toMatchObject({ Url: "oidc.eks.eu-west-1.amazonaws.com/id/X", ClientIDList: ["sts.amazonaws.com"], Tags: [{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }] });
    expect((await iam().send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: arn }))).Tags).toEqual(got.Tags);
    await iam().send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    await expect(iam().send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }))).rejects.toBeInstanceOf(NoSuchEntityException);
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(["CreateOpenIDConnectProvider", "TagOpenIDConnectProvider", "DeleteOpenIDConnectProvider"]);
  });

  it("ListRoles pages by MaxItems with a Marker and carries each role's trust policy, not its tags", async () => {
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] };
    for (const n of ["r1", "r2", "r3"]) aws.fake.addRole(n, trust, {}, { team: "x" });
    const first = await iam().send(new ListRolesCommand({ MaxItems: 2 }));
    expect([first.Roles?.map((r) => r.RoleName), first.IsTruncated]).toEqual([["r1", "r2"], true]);
    expect(JSON.parse(decodeURIComponent(first.Roles![0].AssumeRolePolicyDocument!))).toEqual(trust);
    expect(first.Roles![0].Tags).toBeUndefined();
    const second = await iam().send(new ListRolesCommand({ MaxItems: 2, Marker: first.Marker }));
    expect([second.Roles?.map((r) => r.RoleName), second.IsTruncated]).toEqual([["r3"], false]);
  });
});
