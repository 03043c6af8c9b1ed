// The EKS access the console needs for the cluster features, as pure builders of the EKS API requests (the
// lead's plan rows wrap them): an access entry for the console's principal, the AmazonEKSViewPolicy scoped to
// Studio's namespace (the checks only read), and separately, only when the admin wants the console to restart
// pods or run the copy job, the AmazonEKSEditPolicy in that namespace. Plus what IAM the console needs to make
// them, and the same requests as AWS CLI commands.
//
// Facts (AWS EKS API reference: CreateAccessEntry, AssociateAccessPolicy, ListAssociatedAccessPolicies; EKS user
// guide "access entries"): access policies are named `arn:<partition>:eks::aws:cluster-access-policy/<name>`;
// `accessScope` is `{ type: "namespace", namespaces: [...] }` or `{ type: "cluster" }`; access entries work only
// when the cluster's authentication mode is API or API_AND_CONFIG_MAP; an entry names an IAM user or role ARN,
// never an STS assumed-role session.
import type { AccessScope, AssociateAccessPolicyCommandInput, CreateAccessEntryCommandInput } from "@aws-sdk/client-eks";
import { partitionOf, type Partition } from "@/lib/config/aws-names";
import { managedTags } from "@/lib/aws/tags";

export const EKS_VIEW_POLICY = "AmazonEKSViewPolicy";
export const EKS_EDIT_POLICY = "AmazonEKSEditPolicy";
const EKS_ADMIN_POLICY = "AmazonEKSAdminPolicy";
const EKS_CLUSTER_ADMIN_POLICY = "AmazonEKSClusterAdminPolicy";

export function accessPolicyArn(partition: Partition, name: string): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/${name}`;
}

/**
 * The IAM principal an access entry must name for the caller STS reports. An assumed-role session
 * (`arn:aws:sts::<acct>:assumed-role/<role>/<session>`) becomes its role's ARN; STS does not say the role's path,
 * so pass it when the role has one (read it with iam:GetRole; SSO roles live under /aws-reserved/sso.amazonaws.com/).
 */
export function accessEntryPrincipalArn(callerArn: string, rolePath = "/"): string {
  const m = /^arn:(aws|aws-cn|aws-us-gov):(iam|sts)::(\d{12}):(user|role|assumed-role)\/(.+)$/.exec(callerArn);
  if (!m) throw new Error(`callerArn "${callerArn}" is not an IAM user, IAM role or assumed-role ARN: an access entry cannot name it`);
  const [, partition, service, account, kind, rest] = m;
  if (service === "iam") return callerArn;
  if (kind !== "assumed-role") throw new Error(`callerArn "${callerArn}" is not an IAM user, IAM role or assumed-role ARN`);
  const roleName = rest.split("/")[0];
  if (!/^\/([\x21-\x7e]+\/)?$/.test(rolePath)) throw new Error(`rolePath must start and end with "/" (got "${rolePath}")`);
  return `arn:${partition}:iam::${account}:role${rolePath}${roleName}`;
}

export interface AccessEntryTarget {
  environmentName: string;
  region: string;
  accountId: string;
  clusterName: string;
  namespace: string;
  /** From accessEntryPrincipalArn. */
  principalArn: string;
}

export function createAccessEntryRequest(t: AccessEntryTarget): CreateAccessEntryCommandInput {
  return { clusterName: t.clusterName, principalArn: t.principalArn, type: "STANDARD", tags: managedTags(t.environmentName) };
}

function association(t: AccessEntryTarget, policy: string, namespaces: string[]): AssociateAccessPolicyCommandInput {
  return {
    clusterName: t.clusterName,
    principalArn: t.principalArn,
    policyArn: accessPolicyArn(partitionOf(t.region), policy),
    accessScope: { type: "namespace", namespaces },
  };
}

/** Read-only in Studio's namespace: what the cluster checks need. */
export function viewPolicyAssociation(t: AccessEntryTarget, alsoKeep: string[] = []): AssociateAccessPolicyCommandInput {
  return association(t, EKS_VIEW_POLICY, union(alsoKeep, [t.namespace]));
}

/** Edit in Studio's namespace: restart deployments, run the copy job. Asked for separately. */
export function editPolicyAssociation(t: AccessEntryTarget, alsoKeep: string[] = []): AssociateAccessPolicyCommandInput {
  return association(t, EKS_EDIT_POLICY, union(alsoKeep, [t.namespace]));
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

// ---- what exists → what to do ---------------------------------------------------------------------------------

/** What DescribeCluster, DescribeAccessEntry and ListAssociatedAccessPolicies said. */
export interface ObservedAccess {
  authenticationMode?: string;
  /** null: no access entry for the principal. */
  entry: { type?: string } | null;
  associated: { policyArn: string; accessScope?: AccessScope }[];
}

export interface AccessChange {
  action: "create" | "update" | "unchanged" | "blocked";
  call: "eks:CreateAccessEntry" | "eks:AssociateAccessPolicy" | "eks:UpdateClusterConfig";
  reason: string;
  request?: CreateAccessEntryCommandInput | AssociateAccessPolicyCommandInput;
}

/** Which policies grant at least what `want` grants. */
const COVERS: Record<string, string[]> = {
  [EKS_VIEW_POLICY]: [EKS_VIEW_POLICY, EKS_EDIT_POLICY, EKS_ADMIN_POLICY, EKS_CLUSTER_ADMIN_POLICY],
  [EKS_EDIT_POLICY]: [EKS_EDIT_POLICY, EKS_ADMIN_POLICY, EKS_CLUSTER_ADMIN_POLICY],
};

const policyName = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);

/**
 * The access entry and policy association rows for the console's principal, against what exists. Existing
 * associations are only widened (the namespace added to their list), never narrowed; a broader one already in
 * place (cluster-wide, or a stronger policy) leaves the row unchanged.
 */
export function accessEntryChanges(t: AccessEntryTarget, observed: ObservedAccess, opts: { edit: boolean }): AccessChange[] {
  if (observed.authenticationMode === "CONFIG_MAP")
    return [
      {
        action: "blocked",
        call: "eks:UpdateClusterConfig",
        reason:
          "the cluster authenticates only through the aws-auth ConfigMap; access entries need authentication mode API_AND_CONFIG_MAP " +
          "(aws eks update-cluster-config --access-config authenticationMode=API_AND_CONFIG_MAP; it cannot be switched back), " +
          "or map the console's role in aws-auth by hand",
      },
    ];
  const out: AccessChange[] = [];
  if (!observed.entry) out.push({ action: "create", call: "eks:CreateAccessEntry", reason: `no access entry for ${t.principalArn}`, request: createAccessEntryRequest(t) });
  else out.push({ action: "unchanged", call: "eks:CreateAccessEntry", reason: `access entry for ${t.principalArn} exists (${observed.entry.type ?? "STANDARD"})` });
  for (const want of opts.edit ? [EKS_VIEW_POLICY, EKS_EDIT_POLICY] : [EKS_VIEW_POLICY]) {
    const covering = observed.associated.find(
      (a) =>
        COVERS[want].includes(policyName(a.policyArn)) &&
        (a.accessScope?.type === "cluster" || (a.accessScope?.namespaces ?? []).includes(t.namespace)),
    );
    if (covering) {
      out.push({
        action: "unchanged",
        call: "eks:AssociateAccessPolicy",
        reason: `${want} in ${t.namespace}: granted by ${policyName(covering.policyArn)} (${covering.accessScope?.type === "cluster" ? "cluster-wide" : `namespaces ${covering.accessScope?.namespaces?.join(", ")}`})`,
      });
      continue;
    }
    const same = observed.associated.find((a) => policyName(a.policyArn) === want && a.accessScope?.type === "namespace");
    const request = want === EKS_VIEW_POLICY ? viewPolicyAssociation(t, same?.accessScope?.namespaces) : editPolicyAssociation(t, same?.accessScope?.namespaces);
    out.push({
      action: same ? "update" : "create",
      call: "eks:AssociateAccessPolicy",
      reason: same ? `${want} is scoped to ${same.accessScope?.namespaces?.join(", ")}: add ${t.namespace}` : `${want} in namespace ${t.namespace}`,
      request,
    });
  }
  return out;
}

// ---- IAM the console needs, and the CLI equivalent ------------------------------------------------------------

export interface IamNeed {
  iamAction: string;
  resource: string;
}

export function accessEntryIamNeeds(t: Pick<AccessEntryTarget, "region" | "accountId" | "clusterName">): IamNeed[] {
  const p = partitionOf(t.region);
  const cluster = `arn:${p}:eks:${t.region}:${t.accountId}:cluster/${t.clusterName}`;
  const entries = `arn:${p}:eks:${t.region}:${t.accountId}:access-entry/${t.clusterName}/*`;
  return [
    { iamAction: "eks:DescribeCluster", resource: cluster },
    { iamAction: "eks:CreateAccessEntry", resource: cluster },
    { iamAction: "eks:DescribeAccessEntry", resource: entries },
    { iamAction: "eks:ListAssociatedAccessPolicies", resource: entries },
    { iamAction: "eks:AssociateAccessPolicy", resource: entries },
    // Tags on the entry (managed-by, studio-environment) are set at creation.
    { iamAction: "eks:TagResource", resource: entries },
  ];
}

/** Reading EKS Pod Identity associations for the checks in Pod Identity mode. */
export function podIdentityReadNeeds(t: Pick<AccessEntryTarget, "region" | "accountId" | "clusterName">): IamNeed[] {
  const p = partitionOf(t.region);
  return [
    { iamAction: "eks:ListPodIdentityAssociations", resource: `arn:${p}:eks:${t.region}:${t.accountId}:cluster/${t.clusterName}` },
    { iamAction: "eks:DescribePodIdentityAssociation", resource: `arn:${p}:eks:${t.region}:${t.accountId}:podidentityassociation/${t.clusterName}/*` },
  ];
}

const q = (s: string) => (/^[A-Za-z0-9._:/@=+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The AWS CLI command for one change's request. */
export function accessChangeCli(region: string, change: AccessChange): string | null {
  const r = change.request;
  if (!r) return null;
  if (change.call === "eks:CreateAccessEntry") {
    const c = r as CreateAccessEntryCommandInput;
    const tags = Object.entries(c.tags ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
    return `aws eks create-access-entry --region ${q(region)} --cluster-name ${q(c.clusterName!)} --principal-arn ${q(c.principalArn!)} --type STANDARD${tags ? ` --tags ${q(tags)}` : ""}`;
  }
  const a = r as AssociateAccessPolicyCommandInput;
  return (
    `aws eks associate-access-policy --region ${q(region)} --cluster-name ${q(a.clusterName!)} --principal-arn ${q(a.principalArn!)}` +
    ` --policy-arn ${q(a.policyArn!)} --access-scope ${q(`type=namespace,namespaces=${a.accessScope!.namespaces!.join(",")}`)}`
  );
}
