// A trust update on a role that already exists: the console's statements are replaced, every other statement is
// kept, as the bucket policy merge does. An adopted role that also trusts another cluster, or a CI pipeline,
// keeps that. The console's statements are those with its Sids, and those without a Sid that let the same
// principal take the same action (this cluster's OIDC provider, or EKS Pod Identity): written before the console
// named its statements, or by hand as the guide shows (audience only). Keeping one of those would undo the trust
// scope, since IAM allows what any statement allows.
import { policiesEqual, statementsOf } from "./policy-json";
import { TRUST_POLICY_SIDS } from "./trust-policy";
import { POLICY_VERSION, type PolicyDocument, type PolicyStatement } from "./types";

/** The same principal may take the same action (conditions aside). */
function sameGrantee(a: PolicyStatement, b: PolicyStatement): boolean {
  const core = (s: PolicyStatement) => ({ Version: POLICY_VERSION, Statement: [{ Effect: s.Effect, Principal: s.Principal, Action: s.Action }] });
  return policiesEqual(core(a), core(b));
}

/** Statements of `existing` the console does not own: kept by a trust update. */
export function foreignTrustStatements(existing: unknown, ours: PolicyDocument): PolicyStatement[] {
  const owned = new Set(TRUST_POLICY_SIDS);
  return statementsOf(existing).filter(
    (s) => !(s.Sid ? owned.has(s.Sid) : ours.Statement.some((o) => sameGrantee(s, o))),
  );
}

/** The trust policy to write on an existing role: its foreign statements first, then the console's. */
export function mergeTrustPolicy(existing: unknown, ours: PolicyDocument): PolicyDocument {
  return { Version: POLICY_VERSION, Statement: [...foreignTrustStatements(existing, ours), ...ours.Statement] };
}
