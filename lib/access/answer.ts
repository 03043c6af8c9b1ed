// A question answered: the evaluator's decision, the statements that made it, and whether it is what the
// console intends.
import type { Question } from "./question";
import { evaluate, type Evaluation } from "./simulate";
import { describeRef } from "./describe";
import type { AccessRow, Verdict } from "./types";

function reasonOf(e: Evaluation): string {
  const refs = e.decidedBy.map(describeRef).join(" and ");
  if (e.decision === "allowed") return `allowed by ${refs || "the evaluator (no statement named)"}`;
  if (e.denial === "explicit") return `explicitly denied by ${refs}`;
  return refs ? `denied: nothing in ${refs} allows it` : "denied: no policy allows it";
}

function judge(q: Question, e: Evaluation): { verdict: Verdict; note?: string } {
  if (e.decision === "allowed") {
    if (q.intent === "allow") return { verdict: "pass" };
    if (q.intent === "tolerate") return { verdict: "warn", note: q.warning };
    const why = q.mustBeDeniedBy ? `: ${q.mustBeDeniedBy.missing}` : "";
    return { verdict: "fail", note: `allowed but not intended${why}` };
  }
  if (q.intent === "allow") return { verdict: "fail", note: "intended but denied" };
  const must = q.mustBeDeniedBy;
  if (must && !(e.denial === "explicit" && e.decidedBy.some((r) => r.source.kind === must.kind)))
    return { verdict: "fail", note: must.missing };
  return { verdict: "pass" };
}

export async function answer(q: Question): Promise<AccessRow> {
  const e: Evaluation = q.noAssociation
    ? { decision: "denied", decidedBy: [{ source: q.noAssociation.source }], ignoredContextKeys: [] }
    : await evaluate(q.request);
  const { verdict, note } = judge(q, e);
  const ignored = e.ignoredContextKeys.length ? ` (the evaluator ignored ${e.ignoredContextKeys.join(", ")})` : "";
  return {
    id: q.id,
    group: q.group,
    question: q.question,
    principal: q.request.principal,
    action: q.request.action,
    resource: q.request.resource,
    context: q.request.context,
    decision: e.decision,
    denial: q.noAssociation ? "no-association" : e.denial,
    decidedBy: e.decidedBy,
    reason: (q.noAssociation ? `denied: ${q.noAssociation.reason}` : reasonOf(e)) + ignored,
    intent: q.intent,
    verdict,
    note,
    from: q.from.id,
    to: q.to.id,
  };
}
