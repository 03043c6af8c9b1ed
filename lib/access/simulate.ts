// One request through @cloud-copilot/iam-simulate, answered with the statements that decided it.
import {
  getDenialReasons,
  getGrantReasons,
  runSimulation,
  runUnsafeSimulation,
  type RequestAnalysis,
  type Simulation,
  type SimulationErrors,
} from "@cloud-copilot/iam-simulate";
import type { PolicyObject } from "./input";
import type { Denial, PolicySource, StatementRef } from "./types";

/** The evaluator and its exact version (pinned in package.json), recorded with every stored matrix. */
export const ENGINE = "@cloud-copilot/iam-simulate 0.1.173";

export interface LabelledPolicy {
  source: PolicySource;
  document: PolicyObject;
}

export interface SimulationRequest {
  principal: string;
  action: string;
  resource: string;
  /** The account that owns the resource (same account as the roles here; S3 ARNs carry none). */
  resourceAccount: string;
  context: Record<string, string | string[]>;
  /** The caller's identity policies (inline and attached); none for a web-identity token or a service. */
  identityPolicies: LabelledPolicy[];
  permissionsBoundary?: LabelledPolicy;
  /** The resource's own policy: a trust policy, the bucket policy, a key policy. */
  resourcePolicy?: LabelledPolicy;
}

export interface Evaluation {
  decision: "allowed" | "denied";
  denial?: Exclude<Denial, "no-association">;
  decidedBy: StatementRef[];
  /** Context keys the evaluator dropped as unknown for the action; a non-empty list means a partial answer. */
  ignoredContextKeys: string[];
}

function toSimulation(req: SimulationRequest): Simulation {
  return {
    request: {
      principal: req.principal,
      action: req.action,
      resource: { resource: req.resource, accountId: req.resourceAccount },
      contextVariables: req.context,
    },
    identityPolicies: req.identityPolicies.map((p, i) => ({ name: `identity-${i}`, policy: p.document })),
    permissionBoundaryPolicies: req.permissionsBoundary ? [{ name: "boundary", policy: req.permissionsBoundary.document }] : undefined,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: req.resourcePolicy?.document,
  };
}

/** Maps the evaluator's policy names (`identity-0`, `boundary`) back to the labelled sources. */
function sourceOf(req: SimulationRequest, policyType: string, identifier?: string): PolicySource | undefined {
  if (policyType === "resource") return req.resourcePolicy?.source;
  if (policyType === "pb") return req.permissionsBoundary?.source;
  if (policyType === "identity" && identifier?.startsWith("identity-")) return req.identityPolicies[Number(identifier.slice(9))]?.source;
  return undefined;
}

function fromAnalysis(req: SimulationRequest, analysis: RequestAnalysis, ignored: string[]): Evaluation {
  if (analysis.result === "Allowed") {
    const decidedBy = getGrantReasons(analysis).flatMap((g) => {
      const source = sourceOf(req, g.policyType, "policyIdentifier" in g ? g.policyIdentifier : undefined);
      return source ? [{ source, sid: g.statementId, index: g.statementIndex }] : [];
    });
    return { decision: "allowed", decidedBy, ignoredContextKeys: ignored };
  }
  const reasons = getDenialReasons(analysis);
  if (analysis.result === "ExplicitlyDenied") {
    const decidedBy = reasons.flatMap((d) => {
      if (d.denialType !== "Explicit") return [];
      const source = sourceOf(req, d.policyType, d.policyIdentifier);
      return source ? [{ source, sid: d.statementId, index: d.statementIndex }] : [];
    });
    return { decision: "denied", denial: "explicit", decidedBy, ignoredContextKeys: ignored };
  }
  // Implicit: name the policies that allow nothing here. An identity side with no policies has nothing to name.
  const decidedBy: StatementRef[] = [];
  for (const d of reasons) {
    if (d.policyType === "identity") decidedBy.push(...req.identityPolicies.map((p) => ({ source: p.source })));
    else {
      const source = sourceOf(req, d.policyType);
      if (source) decidedBy.push({ source });
    }
  }
  return { decision: "denied", denial: "implicit", decidedBy, ignoredContextKeys: ignored };
}

function statementsOf(doc: PolicyObject): unknown[] {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

/**
 * A resource policy in the pre-validated shape of @cloud-copilot/iam-policy (`ValidatedPolicy`): in 0.1.173
 * `runUnsafeSimulation` loads a plain resource policy without metadata and then fails reading its name.
 */
function prevalidated(doc: unknown, name: string) {
  return { __validated: true, policyDocument: doc, metadata: { name }, errors: [] };
}

/**
 * A trust-policy-only request whose context keys the evaluator does not know. iam-data lists the web-identity
 * keys of named providers (Google, Cognito, GitHub…) but not an EKS cluster's `<issuer-host>:sub` and `:aud`, so
 * `runSimulation` drops them and every IRSA token would look denied. The same engine without its key filter
 * (`runUnsafeSimulation`) gives the answer; running it once per statement finds the statements that decided.
 * The policy itself was validated by the checked run before this is called.
 */
function evaluateUnfiltered(req: SimulationRequest): Evaluation {
  const policy = req.resourcePolicy!;
  const sim = (doc: unknown) => runUnsafeSimulation({ ...toSimulation(req), resourcePolicy: prevalidated(doc, policy.source.name) }, {});
  const result = sim(policy.document);
  if (result === "ImplicitlyDenied") return { decision: "denied", denial: "implicit", decidedBy: [{ source: policy.source }], ignoredContextKeys: [] };
  const wanted = result === "Allowed" ? "Allowed" : "ExplicitlyDenied";
  const decidedBy: StatementRef[] = [];
  statementsOf(policy.document).forEach((statement, i) => {
    if (sim({ ...policy.document, Statement: [statement] }) === wanted) {
      const sid = statement && typeof statement === "object" && "Sid" in statement ? String(statement.Sid) : undefined;
      decidedBy.push({ source: policy.source, sid, index: i + 1 });
    }
  });
  return result === "Allowed"
    ? { decision: "allowed", decidedBy, ignoredContextKeys: [] }
    : { decision: "denied", denial: "explicit", decidedBy, ignoredContextKeys: [] };
}

type ValidationErrors = { path?: string; message?: string }[];

/** The evaluator's validation errors with the policies named as the matrix names them. */
function describeErrors(req: SimulationRequest, errors: SimulationErrors): string {
  const parts: string[] = [];
  const add = (source: PolicySource | undefined, list: ValidationErrors | undefined) => {
    if (list?.length) parts.push(`the ${source?.label ?? "policy"}: ${list.map((e) => `${e.path}: ${e.message}`).join("; ")}`);
  };
  for (const [name, list] of Object.entries(errors.identityPolicyErrors ?? {})) add(sourceOf(req, "identity", name), list);
  for (const list of Object.values(errors.permissionBoundaryErrors ?? {})) add(req.permissionsBoundary?.source, list);
  add(req.resourcePolicy?.source, errors.resourcePolicyErrors);
  return parts.length ? parts.join("; ") : errors.message;
}

/** Evaluates one request; throws with the evaluator's reasons when a document is not a valid policy. */
export async function evaluate(req: SimulationRequest): Promise<Evaluation> {
  const checked = await runSimulation(toSimulation(req), {});
  if (checked.resultType === "error")
    throw new Error(`cannot evaluate ${req.action} on ${req.resource}: ${describeErrors(req, checked.errors)}`);
  // The matrix asks about exact resources only; a wildcard would make the evaluator expand patterns.
  if (checked.resultType !== "single") throw new Error(`cannot evaluate ${req.action} on ${req.resource}: not one resource`);
  const result = checked.result;
  const ignored = result.ignoredContextKeys ?? [];
  const trustOnly = req.resourcePolicy && req.identityPolicies.length === 0 && !req.permissionsBoundary;
  if (ignored.length > 0 && trustOnly) return evaluateUnfiltered(req);
  return fromAnalysis(req, result.analysis, ignored);
}
