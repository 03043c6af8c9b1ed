// The web-identity trust policy of the RDS and S3 roles. The guide checks only `:aud`, which lets any pod in
// the cluster assume the role; by default the console also pins `:sub` to the exact service accounts.
import type { EnvironmentSettings, TrustScope } from "../config/environment";
import { oidcIssuerHost } from "./arn";
import { POLICY_VERSION, type PolicyDocument, type PolicyStatement } from "./types";

/** The audience EKS projects into service-account tokens for STS. */
export const STS_AUDIENCE = "sts.amazonaws.com";

export interface TrustPolicyInput {
  /** ARN of the IAM OIDC provider of the cluster. */
  oidcProviderArn: string;
  /** The cluster's OIDC issuer URL (with or without `https://`). */
  oidcIssuer: string;
  scope: TrustScope;
  namespace: string;
  /** Service accounts that use the role; only `service-accounts` scope names them. */
  serviceAccounts: string[];
}

/** `system:serviceaccount:<namespace>:<name>`: the `sub` claim of a service-account token. */
export function serviceAccountSubject(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

function conditionFor(input: TrustPolicyInput): NonNullable<PolicyStatement["Condition"]> {
  const host = oidcIssuerHost(input.oidcIssuer);
  const aud = { [`${host}:aud`]: STS_AUDIENCE };
  switch (input.scope) {
    case "service-accounts": {
      if (input.serviceAccounts.length === 0)
        throw new Error("trust scope service-accounts needs at least one service account");
      const subjects = [...new Set(input.serviceAccounts)].map((sa) => serviceAccountSubject(input.namespace, sa));
      return { StringEquals: { ...aud, [`${host}:sub`]: subjects } };
    }
    case "namespace":
      return { StringEquals: aud, StringLike: { [`${host}:sub`]: serviceAccountSubject(input.namespace, "*") } };
    case "cluster":
      return { StringEquals: aud };
  }
}

/**
 * Sids of the trust statements the console owns. A trust update replaces these and keeps every other statement
 * (an adopted role that also trusts another cluster keeps that): lib/policies/trust-merge.ts.
 */
export const IRSA_TRUST_SID = "AllowStudioServiceAccountsWebIdentity";
export const POD_IDENTITY_TRUST_SID = "AllowEksAuthToAssumeRoleForPodIdentity";
export const TRUST_POLICY_SIDS: readonly string[] = [IRSA_TRUST_SID, POD_IDENTITY_TRUST_SID];

export function trustPolicy(input: TrustPolicyInput): PolicyDocument {
  return {
    Version: POLICY_VERSION,
    Statement: [
      {
        Sid: IRSA_TRUST_SID,
        Effect: "Allow",
        Principal: { Federated: input.oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: conditionFor(input),
      },
    ],
  };
}

/** Why a scope other than `service-accounts` is a weaker choice; shown as a plan warning. */
export function trustScopeWarning(scope: TrustScope, namespace: string): string | null {
  if (scope === "namespace")
    return `trust scope "namespace": any service account in namespace ${namespace} can assume the role`;
  if (scope === "cluster")
    return "trust scope \"cluster\" (the guide's audience-only check): any pod in the cluster can assume the role";
  return null;
}

/** What a role's trust can be anchored on, as far as it is known (null while the cluster is not found). */
export interface TrustAnchors {
  accountId: string | null;
  /** The cluster's IAM OIDC provider (IRSA). */
  oidcProviderArn: string | null;
  oidcIssuer: string | null;
  /** The EKS cluster itself. */
  clusterArn: string | null;
}

/** Who may assume one of Studio's roles: the settings that decide it, and the service accounts that use the role. */
export interface RoleTrustInput {
  settings: Pick<EnvironmentSettings, "trustScope" | "namespace" | "identityMode">;
  serviceAccounts: string[];
}

/** The principal EKS Pod Identity assumes roles as. */
export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";

/**
 * EKS Pod Identity: the agent's service principal assumes the role and tags the session with the cluster,
 * namespace and service account (AWS EKS user guide, "Create IAM role with trust policy required by EKS Pod
 * Identity"; session tags in "Enable or disable session tags"). The association decides which service account
 * gets the role; the conditions make the role refuse any other association too (another cluster of the account,
 * another namespace or service account), and `aws:SourceAccount` another account's EKS.
 */
export function podIdentityTrustPolicy(input: {
  accountId: string;
  clusterArn: string;
  scope: TrustScope;
  namespace: string;
  serviceAccounts: string[];
}): PolicyDocument {
  const equals: Record<string, string | string[]> = {
    "aws:SourceAccount": input.accountId,
    "aws:RequestTag/eks-cluster-arn": input.clusterArn,
  };
  if (input.scope !== "cluster") equals["aws:RequestTag/kubernetes-namespace"] = input.namespace;
  if (input.scope === "service-accounts") {
    if (input.serviceAccounts.length === 0) throw new Error("trust scope service-accounts needs at least one service account");
    equals["aws:RequestTag/kubernetes-service-account"] = [...new Set(input.serviceAccounts)];
  }
  return {
    Version: POLICY_VERSION,
    Statement: [
      {
        Sid: POD_IDENTITY_TRUST_SID,
        Effect: "Allow",
        Principal: { Service: POD_IDENTITY_PRINCIPAL },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { StringEquals: equals },
      },
    ],
  };
}

/**
 * The trust policy of one of Studio's roles for the environment's way of handing pods their roles, or null while
 * what it is anchored on is unknown (cluster not found).
 */
export function roleTrustPolicy({ settings, serviceAccounts }: RoleTrustInput, anchors: TrustAnchors): PolicyDocument | null {
  if (settings.identityMode === "pod-identity") {
    if (!anchors.accountId || !anchors.clusterArn) return null;
    return podIdentityTrustPolicy({
      accountId: anchors.accountId,
      clusterArn: anchors.clusterArn,
      scope: settings.trustScope,
      namespace: settings.namespace,
      serviceAccounts,
    });
  }
  if (!anchors.oidcProviderArn || !anchors.oidcIssuer) return null;
  return trustPolicy({
    oidcProviderArn: anchors.oidcProviderArn,
    oidcIssuer: anchors.oidcIssuer,
    scope: settings.trustScope,
    namespace: settings.namespace,
    serviceAccounts,
  });
}
