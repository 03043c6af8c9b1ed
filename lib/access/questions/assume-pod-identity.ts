// EKS Pod Identity: an association (namespace, service account → role) is what binds a pod to a role; the EKS
// service (`pods.eks.amazonaws.com`) then calls sts:AssumeRole and sts:TagSession with aws:SourceAccount,
// aws:SourceArn (the cluster) and six session tags (EKS User Guide, "Create IAM role with trust policy required
// by EKS Pod Identity" and "List of session tags added by EKS Pod Identity").
import type { AccessFacts } from "../input";
import { assumeQuestion, node, serviceAccountNode, type Question } from "../question";
import type { RoleCaller } from "../sources";
import type { AccessNode, Intent, PolicySource } from "../types";
import { otherClusterName, otherNamespace, otherServiceAccount } from "./strangers";

export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";

type Association = Extract<AccessFacts["identity"], { kind: "pod-identity" }>["associations"][number];

interface Caller {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  sessionTags: boolean;
}

export function clusterArn(facts: AccessFacts, clusterName: string): string {
  return `arn:${facts.partition}:eks:${facts.region}:${facts.accountId}:cluster/${clusterName}`;
}

function serviceRequest(facts: AccessFacts, role: RoleCaller, action: string, caller: Caller) {
  const cluster = clusterArn(facts, caller.clusterName);
  const tags: Record<string, string> = caller.sessionTags
    ? {
        "eks-cluster-arn": cluster,
        "eks-cluster-name": caller.clusterName,
        "kubernetes-namespace": caller.namespace,
        "kubernetes-service-account": caller.serviceAccount,
        "kubernetes-pod-name": `${caller.serviceAccount}-pod`,
        "kubernetes-pod-uid": "00000000-0000-4000-8000-000000000000",
      }
    : {};
  const context: Record<string, string | string[]> = {
    "aws:SourceAccount": facts.accountId,
    "aws:SourceArn": cluster,
    ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
  };
  if (caller.sessionTags) context["aws:TagKeys"] = Object.keys(tags);
  return {
    principal: POD_IDENTITY_PRINCIPAL,
    action,
    resource: role.arn,
    resourceAccount: facts.accountId,
    context,
    identityPolicies: [],
    resourcePolicy: role.trust,
  };
}

function associationsSource(clusterName: string): PolicySource {
  return { kind: "association", name: clusterName, label: `pod identity associations of cluster ${clusterName}` };
}

export function podIdentityQuestions(
  facts: AccessFacts,
  kind: "rds" | "s3",
  role: RoleCaller,
  intendedServiceAccounts: readonly string[],
  associations: readonly Association[],
): Question[] {
  const ns = facts.namespace;
  const source = associationsSource(facts.clusterName);
  const find = (namespace: string, sa: string) => associations.find((a) => a.namespace === namespace && a.serviceAccount === sa);
  const questions: Question[] = [];
  const evaluated = (id: string, question: string, from: AccessNode, action: string, caller: Caller, intent: Intent, warning?: string) =>
    questions.push(
      assumeQuestion(kind, `${id}-${action.replace("sts:", "")}`, role.name, {
        question,
        from,
        intent,
        warning,
        request: serviceRequest(facts, role, action, caller),
      }),
    );
  // Without an association EKS never calls STS: the evaluator is not asked, the missing binding decides.
  const unbound = (id: string, question: string, from: AccessNode, caller: Caller, intent: Intent, reason: string) =>
    questions.push(
      assumeQuestion(kind, id, role.name, {
        question,
        from,
        intent,
        request: serviceRequest(facts, role, "sts:AssumeRole", caller),
        noAssociation: { source, reason },
      }),
    );
  const bound = (a: Association) => a.roleArn === role.arn;
  const whyUnbound = (namespace: string, sa: string, a: Association | undefined) =>
    a ? `the association of ${namespace}/${sa} names ${a.roleArn}, not this role` : `no pod identity association for ${namespace}/${sa}`;
  const actions = (a: Association) => (a.disableSessionTags ? ["sts:AssumeRole"] : ["sts:AssumeRole", "sts:TagSession"]);

  for (const sa of intendedServiceAccounts) {
    const a = find(ns, sa);
    const caller = { clusterName: facts.clusterName, namespace: ns, serviceAccount: sa, sessionTags: !a?.disableSessionTags };
    const from = serviceAccountNode(ns, sa, true);
    if (a && bound(a))
      for (const action of actions(a)) evaluated(sa, `${sa} in ${ns} assumes ${role.name} (${action})`, from, action, caller, "allow");
    else unbound(sa, `${sa} in ${ns} assumes ${role.name}`, from, caller, "allow", whyUnbound(ns, sa, a));
  }
  // Associations nobody intended that bind this role: each is a way in; the trust decides whether it works.
  const intended = (a: Association) => a.namespace === ns && intendedServiceAccounts.includes(a.serviceAccount);
  for (const a of associations.filter((x) => bound(x) && !intended(x))) {
    const { namespace, serviceAccount } = a;
    const caller = { clusterName: facts.clusterName, namespace, serviceAccount, sessionTags: !a.disableSessionTags };
    evaluated(
      `association-${a.namespace}-${a.serviceAccount}`,
      `${a.serviceAccount} in ${a.namespace} (an association nobody intended) assumes ${role.name}`,
      serviceAccountNode(a.namespace, a.serviceAccount, false, `associated, not intended (${a.namespace})`),
      "sts:AssumeRole",
      caller,
      "deny",
    );
  }
  const strangers = [
    {
      id: "other-service-account",
      namespace: ns,
      sa: otherServiceAccount(intendedServiceAccounts),
      what: "another service account",
      detail: `another service account in ${ns}`,
    },
    {
      id: "other-namespace",
      namespace: otherNamespace(ns),
      sa: intendedServiceAccounts[0],
      what: "the same name in another namespace",
      detail: `same name in namespace ${otherNamespace(ns)}`,
    },
  ];
  for (const s of strangers) {
    const a = find(s.namespace, s.sa);
    if (a && bound(a)) continue; // asked above, as an association nobody intended
    unbound(
      s.id,
      `${s.what} (${s.namespace}/${s.sa}) assumes ${role.name}`,
      serviceAccountNode(s.namespace, s.sa, false, s.detail),
      { clusterName: facts.clusterName, namespace: s.namespace, serviceAccount: s.sa, sessionTags: true },
      "deny",
      whyUnbound(s.namespace, s.sa, a),
    );
  }
  // Another cluster of the account with its own association: only a trust condition on the cluster stops it.
  const other = otherClusterName(facts.clusterName);
  evaluated(
    "other-cluster",
    `${intendedServiceAccounts[0]} in ${ns} on another cluster (${other}) assumes ${role.name}`,
    node("subject", "other-cluster", "another cluster", `cluster ${other} in this account`, false),
    "sts:AssumeRole",
    { clusterName: other, namespace: ns, serviceAccount: intendedServiceAccounts[0], sessionTags: true },
    "tolerate",
    `the trust policy of ${role.name} does not pin aws:SourceArn (or the eks-cluster-arn tag) to cluster ${facts.clusterName}: any cluster in the account with an association to the role can use it`,
  );
  return questions;
}
