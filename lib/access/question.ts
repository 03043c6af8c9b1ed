// A question of the matrix before it is answered: the request, what the console intends, and the two boxes of
// the map it connects.
import type { SimulationRequest } from "./simulate";
import type { AccessNode, Intent, NodeKind, PolicyKind, PolicySource, RowGroup } from "./types";

export interface Question {
  id: string;
  group: RowGroup;
  question: string;
  from: AccessNode;
  to: AccessNode;
  intent: Intent;
  /** Shown when a `tolerate` question comes out allowed. */
  warning?: string;
  request: SimulationRequest;
  /** Answered without the evaluator: no EKS Pod Identity association binds this service account to the role. */
  noAssociation?: { source: PolicySource; reason: string };
  /** The denial only counts when it is this policy's explicit Deny (the bucket policy's TLS deny); else `missing`. */
  mustBeDeniedBy?: { kind: PolicyKind; missing: string };
}

/** Lower-case, URL-safe: used in `#access-row-<id>` and node ids. */
export function slug(...parts: string[]): string {
  return parts
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export function node(kind: NodeKind, key: string, label: string, detail: string | undefined, intended: boolean): AccessNode {
  const column = kind === "subject" ? 0 : kind === "role" ? 1 : 2;
  return { id: slug(kind, key), kind, column, label, detail, intended };
}

export function roleNode(name: string): AccessNode {
  return node("role", name, name, "IAM role", true);
}

/** The node of anything outside the environment a role should not reach (other services, users, secrets). */
export function elsewhereNode(): AccessNode {
  return node("other", "elsewhere", "anything else", "other AWS actions and resources", false);
}

export function serviceAccountNode(namespace: string, name: string, intended: boolean, detail?: string): AccessNode {
  return node("subject", `${namespace}/${name}`, name, detail ?? `service account in ${namespace}`, intended);
}

/** A question of who may assume a role: IRSA's token exchange or Pod Identity's service call. */
export function assumeQuestion(
  kind: "rds" | "s3",
  id: string,
  roleName: string,
  q: Pick<Question, "question" | "from" | "intent" | "warning" | "request" | "noAssociation">,
): Question {
  return { id: slug("assume", kind, id), group: "assume", to: roleNode(roleName), ...q };
}
