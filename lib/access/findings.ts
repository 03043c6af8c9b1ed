// What no single question shows: statements in the roles' permission policies broader than anything the console
// writes (the questions then show what they let through), a bucket policy open to anyone, a key not read, and
// the guarantee a failing question stands for (the bucket's TLS deny), said once.
import type { TrustScope } from "../config/environment";
import { trustScopeWarning } from "../policies/trust-policy";
import type { AccessFacts, PolicyObject } from "./input";
import type { LabelledPolicy } from "./simulate";
import type { RoleCaller } from "./sources";
import type { Question } from "./question";
import type { AccessFinding, AccessRow } from "./types";

function list(v: unknown): string[] {
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
}

function statements(doc: PolicyObject): Record<string, unknown>[] {
  const raw = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return raw.filter((s): s is Record<string, unknown> => !!s && typeof s === "object");
}

/** Allow statements that grant every action, every action but some, or a whole service. */
function broadStatements(policy: LabelledPolicy, roleName: string): AccessFinding[] {
  const out: AccessFinding[] = [];
  statements(policy.document).forEach((s, i) => {
    if (s.Effect !== "Allow") return;
    const statement = { source: policy.source, sid: typeof s.Sid === "string" ? s.Sid : undefined, index: i + 1 };
    const actions = list(s.Action);
    if (actions.some((a) => a === "*" || a === "*:*"))
      out.push({ severity: "fail", statement, message: `${roleName} may do anything: the ${policy.source.label} allows every action ("*")` });
    else if (s.NotAction !== undefined)
      out.push({ severity: "fail", statement, message: `${roleName} may do almost anything: the ${policy.source.label} allows every action except ${list(s.NotAction).join(", ")} (NotAction)` });
    else
      for (const a of actions.filter((x) => /^[^:*]+:\*$/.test(x)))
        out.push({ severity: "warn", statement, message: `the ${policy.source.label} allows every ${a.split(":")[0]} action (${a}), more than ${roleName} needs` });
  });
  return out;
}

function openBucketStatements(policy: LabelledPolicy): AccessFinding[] {
  const out: AccessFinding[] = [];
  statements(policy.document).forEach((s, i) => {
    const p = s.Principal;
    const anyone = p === "*" || (p && typeof p === "object" && list((p as Record<string, unknown>).AWS).includes("*"));
    if (s.Effect === "Allow" && anyone && s.Condition === undefined)
      out.push({
        severity: "warn",
        statement: { source: policy.source, sid: typeof s.Sid === "string" ? s.Sid : undefined, index: i + 1 },
        message: `the ${policy.source.label} allows any principal ("*") without a condition; only the bucket's public access block stands in the way`,
      });
  });
  return out;
}

/** A missing guarantee (`mustBeDeniedBy`) behind failing questions, once however many questions show it. */
function missingGuarantees(questions: readonly Question[], rows: readonly AccessRow[]): AccessFinding[] {
  const messages = new Set<string>();
  questions.forEach((q, i) => {
    if (q.mustBeDeniedBy && rows[i].verdict === "fail") messages.add(q.mustBeDeniedBy.missing);
  });
  return [...messages].map((message) => ({ severity: "fail", message }));
}

export function findings(
  facts: AccessFacts,
  roles: readonly RoleCaller[],
  bucketPolicy: LabelledPolicy | undefined,
  scope: TrustScope | undefined,
  answered: { questions: readonly Question[]; rows: readonly AccessRow[] },
): AccessFinding[] {
  const out: AccessFinding[] = [...missingGuarantees(answered.questions, answered.rows)];
  const warning = scope ? trustScopeWarning(scope, facts.namespace) : null;
  if (warning) out.push({ severity: "warn", message: warning });
  for (const role of roles) for (const p of role.identityPolicies) out.push(...broadStatements(p, role.name));
  if (bucketPolicy) out.push(...openBucketStatements(bucketPolicy));
  if (facts.kms && !facts.kms.keyPolicy)
    out.push({
      severity: "warn",
      message: `the key policy of ${facts.kms.keyArn} was not read${facts.kms.unreadReason ? ` (${facts.kms.unreadReason})` : ""}: what the key allows is not proven here`,
    });
  return out;
}
