// The EKS access entry rows for the console's principal: exact requests, only ever widened, blocked on a
// ConfigMap-only cluster, the IAM they need and their AWS CLI form.
import { describe, expect, it } from "vitest";
import {
  accessChangeCli,
  accessEntryChanges,
  accessEntryIamNeeds,
  accessEntryPrincipalArn,
  accessPolicyArn,
  podIdentityReadNeeds,
  type AccessEntryTarget,
} from "@/lib/k8s/access-entry";

const target: AccessEntryTarget = {
  environmentName: "staging",
  region: "eu-west-1",
  accountId: "111122223333",
  clusterName: "studio-eks",
  namespace: "rasa",
  principalArn: "arn:aws:iam::111122223333:role/platform-admin",
};
const VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
const EDIT = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy";

describe("EKS access entry for the console", () => {
  it("names the IAM principal behind the caller (an assumed-role session becomes its role)", () => {
    expect(accessEntryPrincipalArn("arn:aws:iam::111122223333:user/ops")).toBe("arn:aws:iam::111122223333:user/ops");
    expect(accessEntryPrincipalArn("arn:aws:sts::111122223333:assumed-role/platform-admin/alice")).toBe("arn:aws:iam::111122223333:role/platform-admin");
    expect(accessEntryPrincipalArn("arn:aws-cn:sts::111122223333:assumed-role/AWSReservedSSO_Admin_abc/alice", "/aws-reserved/sso.amazonaws.com/")).toBe(
      "arn:aws-cn:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_abc",
    );
    expect(() => accessEntryPrincipalArn("arn:aws:iam::111122223333:root")).toThrow(/cannot name it/);
    expect(() => accessEntryPrincipalArn("arn:aws:sts::111122223333:federated-user/bob")).toThrow(/cannot name it/);
    expect(() => accessEntryPrincipalArn("arn:aws:sts::111122223333:assumed-role/r/s", "no-slashes")).toThrow(/^rolePath must start and end/);
  });

  it("a fresh cluster: create the entry and the view policy in Studio's namespace; edit only when asked", () => {
    const view = accessEntryChanges(target, { authenticationMode: "API_AND_CONFIG_MAP", entry: null, associated: [] }, { edit: false });
    expect(view).toEqual([
      {
        action: "create",
        call: "eks:CreateAccessEntry",
        reason: "no access entry for arn:aws:iam::111122223333:role/platform-admin",
        request: {
          clusterName: "studio-eks",
          principalArn: target.principalArn,
          type: "STANDARD",
          tags: { "managed-by": "studio-iam-console", "studio-environment": "staging" },
        },
      },
      {
        action: "create",
        call: "eks:AssociateAccessPolicy",
        reason: "AmazonEKSViewPolicy in namespace rasa",
        request: { clusterName: "studio-eks", principalArn: target.principalArn, policyArn: VIEW, accessScope: { type: "namespace", namespaces: ["rasa"] } },
      },
    ]);
    const edit = accessEntryChanges(target, { authenticationMode: "API", entry: null, associated: [] }, { edit: true });
    expect(edit.map((c) => [c.action, (c.request as { policyArn?: string })?.policyArn ?? c.call])).toEqual([
      ["create", "eks:CreateAccessEntry"],
      ["create", VIEW],
      ["create", EDIT],
    ]);
  });

  it("widens an existing namespace-scoped association, never narrows it", () => {
    const changes = accessEntryChanges(
      target,
      { authenticationMode: "API", entry: { type: "STANDARD" }, associated: [{ policyArn: VIEW, accessScope: { type: "namespace", namespaces: ["monitoring"] } }] },
      { edit: false },
    );
    expect(changes[0]).toMatchObject({ action: "unchanged", call: "eks:CreateAccessEntry" });
    expect(changes[1]).toMatchObject({
      action: "update",
      reason: "AmazonEKSViewPolicy is scoped to monitoring: add rasa",
      request: { accessScope: { type: "namespace", namespaces: ["monitoring", "rasa"] } },
    });
  });

  it("a broader grant already in place leaves the rows unchanged", () => {
    const admin = { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", accessScope: { type: "cluster" as const } };
    const changes = accessEntryChanges(target, { authenticationMode: "API", entry: { type: "STANDARD" }, associated: [admin] }, { edit: true });
    expect(changes.map((c) => c.action)).toEqual(["unchanged", "unchanged", "unchanged"]);
    expect(changes[2].reason).toBe("AmazonEKSEditPolicy in rasa: granted by AmazonEKSClusterAdminPolicy (cluster-wide)");
    const editInNs = { policyArn: EDIT, accessScope: { type: "namespace" as const, namespaces: ["rasa"] } };
    expect(accessEntryChanges(target, { entry: {}, associated: [editInNs] }, { edit: false })[1]).toMatchObject({ action: "unchanged" });
  });

  it("a cluster that authenticates only through aws-auth is blocked, with what to do", () => {
    const [blocked, ...rest] = accessEntryChanges(target, { authenticationMode: "CONFIG_MAP", entry: null, associated: [] }, { edit: false });
    expect(rest).toEqual([]);
    expect(blocked).toMatchObject({ action: "blocked", call: "eks:UpdateClusterConfig" });
    expect(blocked.reason).toContain("API_AND_CONFIG_MAP");
  });

  it("partition-aware policy ARNs, the IAM the console needs, and the CLI form", () => {
    expect(accessPolicyArn("aws-cn", "AmazonEKSViewPolicy")).toBe("arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy");
    expect(accessEntryIamNeeds(target)).toEqual([
      { iamAction: "eks:DescribeCluster", resource: "arn:aws:eks:eu-west-1:111122223333:cluster/studio-eks" },
      { iamAction: "eks:CreateAccessEntry", resource: "arn:aws:eks:eu-west-1:111122223333:cluster/studio-eks" },
      { iamAction: "eks:DescribeAccessEntry", resource: "arn:aws:eks:eu-west-1:111122223333:access-entry/studio-eks/*" },
      { iamAction: "eks:ListAssociatedAccessPolicies", resource: "arn:aws:eks:eu-west-1:111122223333:access-entry/studio-eks/*" },
      { iamAction: "eks:AssociateAccessPolicy", resource: "arn:aws:eks:eu-west-1:111122223333:access-entry/studio-eks/*" },
      { iamAction: "eks:TagResource", resource: "arn:aws:eks:eu-west-1:111122223333:access-entry/studio-eks/*" },
    ]);
    expect(podIdentityReadNeeds(target).map((n) => n.iamAction)).toEqual(["eks:ListPodIdentityAssociations", "eks:DescribePodIdentityAssociation"]);
    const [entry, view] = accessEntryChanges(target, { entry: null, associated: [] }, { edit: false });
    expect(accessChangeCli("eu-west-1", entry)).toBe(
      "aws eks create-access-entry --region eu-west-1 --cluster-name studio-eks --principal-arn arn:aws:iam::111122223333:role/platform-admin --type STANDARD --tags managed-by=studio-iam-console,studio-environment=staging",
    );
    expect(accessChangeCli("eu-west-1", view)).toBe(
      `aws eks associate-access-policy --region eu-west-1 --cluster-name studio-eks --principal-arn arn:aws:iam::111122223333:role/platform-admin --policy-arn ${VIEW} --access-scope type=namespace,namespaces=rasa`,
    );
  });
});
