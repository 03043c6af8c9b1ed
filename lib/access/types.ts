// The access matrix as data: questions about who may do what, each answered from the real policies. Plain JSON
// (no classes, no dates) so a run can store it as step output and the map and table can render it as props.

/** Where a deciding statement lives. */
export type PolicyKind = "trust" | "inline" | "managed" | "boundary" | "bucket" | "key" | "association";

export interface PolicySource {
  kind: PolicyKind;
  /** The policy's name as AWS shows it (inline policy name, managed policy name, role or bucket name). */
  name: string;
  /** Managed policy, boundary or key ARN, when there is one. */
  arn?: string;
  /** Human label: "inline policy studio-rds-db-connect of studio-staging-rds-role". */
  label: string;
}

/** One statement that decided an answer (or, without `index`, the policy as a whole: "no statement allows"). */
export interface StatementRef {
  source: PolicySource;
  sid?: string;
  /** 1-based position of the statement in its policy. */
  index?: number;
}

/**
 * What the console wants for a question. `allow`: must be allowed; `deny`: must be denied; `tolerate`: denied is
 * right, allowed is accepted with `warning` (a broad trust scope the admin chose on purpose).
 */
export type Intent = "allow" | "deny" | "tolerate";

/** pass: answer as intended; warn: allowed under a warned choice; fail: not as intended. */
export type Verdict = "pass" | "warn" | "fail";

/** How a denial came about. `no-association`: EKS Pod Identity has no association binding the service account. */
export type Denial = "explicit" | "implicit" | "no-association";

export type RowGroup = "assume" | "database" | "storage" | "key" | "unexpected";

export type NodeKind = "subject" | "role" | "database" | "bucket" | "key" | "other";

/** A box on the access map. Column 0: who (service accounts, tokens); 1: roles; 2: what they reach. */
export interface AccessNode {
  id: string;
  kind: NodeKind;
  column: 0 | 1 | 2;
  label: string;
  detail?: string;
  /** True for the environment's own service accounts, roles and resources; false for the probes' strangers. */
  intended: boolean;
}

export interface AccessRow {
  /** Stable and URL-safe; the table row is `#access-row-<id>`. */
  id: string;
  group: RowGroup;
  /** The question in words: "studio-backend in rasa assumes studio-staging-rds-role". */
  question: string;
  principal: string;
  action: string;
  resource: string;
  /** Request context keys given to the evaluator (token claims, aws:SecureTransport, …). */
  context: Record<string, string | string[]>;
  decision: "allowed" | "denied";
  denial?: Denial;
  /** The statements that decided: the granting ones when allowed, the denying one(s) when explicitly denied. */
  decidedBy: StatementRef[];
  /** One sentence: what decided, in words. */
  reason: string;
  intent: Intent;
  verdict: Verdict;
  /** Why it failed, or the warning an allowed `tolerate` carries. */
  note?: string;
  from: string;
  to: string;
}

/** A finding that is not one question: a policy statement broader than anything the console writes, a missing read. */
export interface AccessFinding {
  severity: "fail" | "warn";
  message: string;
  statement?: StatementRef;
}

/**
 * An edge's state. allowed: allowed and intended (green); warning: allowed under a warned choice (amber);
 * unintended: allowed but not intended (red); denied: denied as intended (grey); missing: intended but denied
 * (grey, dashed, and a failure).
 */
export type EdgeState = "allowed" | "warning" | "unintended" | "denied" | "missing";

export interface AccessEdge {
  id: string;
  from: string;
  to: string;
  state: EdgeState;
  /** The rows this edge sums up; `rowId` is the one the edge links to (the worst, else the first). */
  rowIds: string[];
  rowId: string;
  /** Text equivalent of the colour: "allowed but not intended: 1 of 3 questions". */
  label: string;
}

export interface AccessMatrix {
  /** True when no row and no finding failed. */
  ok: boolean;
  identity: "irsa" | "pod-identity";
  rows: AccessRow[];
  findings: AccessFinding[];
  nodes: AccessNode[];
  edges: AccessEdge[];
  counts: Record<Verdict, number>;
  /** The evaluator, so stored results say what answered them. */
  engine: string;
}
