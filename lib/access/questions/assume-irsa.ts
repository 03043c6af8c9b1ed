// IRSA: who can exchange a service-account token for a role's credentials (sts:AssumeRoleWithWebIdentity).
// The token's claims reach the trust policy as `<issuer-host>:sub` and `<issuer-host>:aud`; the caller is the
// cluster's IAM OIDC provider, so only the trust policy decides.
import type { TrustScope } from "../../config/environment";
import { oidcIssuerHost, oidcProviderArn } from "../../policies/arn";
import { serviceAccountSubject, STS_AUDIENCE, trustScopeWarning } from "../../policies/trust-policy";
import type { AccessFacts } from "../input";
import { assumeQuestion, node, serviceAccountNode, type Question } from "../question";
import type { RoleCaller } from "../sources";
import type { AccessNode, Intent } from "../types";
import { otherIssuer, otherNamespace, otherServiceAccount } from "./strangers";

interface Token {
  issuer: string;
  namespace: string;
  serviceAccount: string;
}

function tokenRequest(facts: AccessFacts, role: RoleCaller, token: Token) {
  const host = oidcIssuerHost(token.issuer);
  return {
    principal: oidcProviderArn(facts.partition, facts.accountId, token.issuer),
    action: "sts:AssumeRoleWithWebIdentity",
    resource: role.arn,
    resourceAccount: facts.accountId,
    context: {
      [`${host}:sub`]: serviceAccountSubject(token.namespace, token.serviceAccount),
      [`${host}:aud`]: STS_AUDIENCE,
    },
    identityPolicies: [],
    resourcePolicy: role.trust,
  };
}

export function irsaQuestions(
  facts: AccessFacts,
  kind: "rds" | "s3",
  role: RoleCaller,
  intendedServiceAccounts: readonly string[],
  scope: TrustScope,
  issuer: string,
): Question[] {
  const ns = facts.namespace;
  const ask = (id: string, question: string, from: AccessNode, token: Token, intent: Intent, warning?: string): Question =>
    assumeQuestion(kind, id, role.name, { question, from, intent, warning, request: tokenRequest(facts, role, token) });
  const questions = intendedServiceAccounts.map((sa) =>
    ask(sa, `${sa} in ${ns} assumes ${role.name}`, serviceAccountNode(ns, sa, true), { issuer, namespace: ns, serviceAccount: sa }, "allow"),
  );
  // Broader scopes were chosen on purpose: what they let in is shown, with the plan's warning, not failed.
  const warning = trustScopeWarning(scope, ns) ?? undefined;
  const otherSa = otherServiceAccount(intendedServiceAccounts);
  questions.push(
    ask(
      "other-service-account",
      `another service account (${otherSa}) in ${ns} assumes ${role.name}`,
      serviceAccountNode(ns, otherSa, false, `another service account in ${ns}`),
      { issuer, namespace: ns, serviceAccount: otherSa },
      scope === "service-accounts" ? "deny" : "tolerate",
      warning,
    ),
  );
  const otherNs = otherNamespace(ns);
  const sameName = intendedServiceAccounts[0];
  questions.push(
    ask(
      "other-namespace",
      `${sameName} in another namespace (${otherNs}) assumes ${role.name}`,
      serviceAccountNode(otherNs, sameName, false, `same name in namespace ${otherNs}`),
      { issuer, namespace: otherNs, serviceAccount: sameName },
      scope === "cluster" ? "tolerate" : "deny",
      warning,
    ),
  );
  const foreign = otherIssuer(issuer);
  questions.push(
    ask(
      "other-cluster",
      `a token from another cluster's issuer for ${sameName} in ${ns} assumes ${role.name}`,
      node("subject", "other-cluster", "another cluster", `token of issuer ${oidcIssuerHost(foreign)}`, false),
      { issuer: foreign, namespace: ns, serviceAccount: sameName },
      "deny",
    ),
  );
  return questions;
}
