import "server-only";
// What the console may do in Studio's namespace, asked of the cluster itself (SelfSubjectAccessReview: "can I
// <verb> <resource>?"), so a restart or the copy job is offered only when it would be allowed, and refused with
// the kubectl commands otherwise. Reads and writes go through RBAC the same way; the review changes nothing.
import type { ClusterConnection } from "./cluster";
import { kubeCall } from "./errors";

export interface AccessQuestion {
  namespace: string;
  verb: "get" | "list" | "watch" | "create" | "patch" | "update" | "delete";
  /** API group: "" for core, "apps", "batch". */
  group: string;
  resource: string;
  subresource?: string;
  name?: string;
}

export interface AccessAnswer {
  allowed: boolean;
  /** The authorizer's reason, when it gives one. */
  reason?: string;
}

export function describeQuestion(q: AccessQuestion): string {
  const res = `${q.resource}${q.subresource ? `/${q.subresource}` : ""}${q.group ? `.${q.group}` : ""}`;
  return `${q.verb} ${res}${q.name ? ` ${q.name}` : ""} in namespace ${q.namespace}`;
}

export async function canI(conn: ClusterConnection, q: AccessQuestion, signal?: AbortSignal): Promise<AccessAnswer> {
  const review = await kubeCall(
    `ask the cluster whether the console may ${describeQuestion(q)}`,
    () =>
      conn.authz.createSelfSubjectAccessReview({
        body: {
          apiVersion: "authorization.k8s.io/v1",
          kind: "SelfSubjectAccessReview",
          spec: { resourceAttributes: { namespace: q.namespace, verb: q.verb, group: q.group, resource: q.resource, subresource: q.subresource, name: q.name } },
        },
      }),
    { signal },
  );
  return { allowed: review.status?.allowed === true, reason: review.status?.reason || review.status?.evaluationError || undefined };
}

/** The rights each cluster action needs (the EKS view policy grants the reads; the edit policy the rest). */
export const RESTART_NEEDS = (namespace: string, deployment?: string): AccessQuestion[] => [
  { namespace, verb: "patch", group: "apps", resource: "deployments", name: deployment },
];
export const COPY_JOB_NEEDS = (namespace: string): AccessQuestion[] => [
  { namespace, verb: "create", group: "batch", resource: "jobs" },
  { namespace, verb: "get", group: "batch", resource: "jobs" },
  { namespace, verb: "list", group: "", resource: "pods" },
  { namespace, verb: "get", group: "", resource: "pods", subresource: "log" },
];

/** Every question answered; the ones not allowed, in words. */
export async function missingRights(conn: ClusterConnection, questions: AccessQuestion[], signal?: AbortSignal): Promise<string[]> {
  const answers = await Promise.all(questions.map((q) => canI(conn, q, signal)));
  return questions.filter((_, i) => !answers[i].allowed).map(describeQuestion);
}

export interface NamespaceRights {
  /** May restart Studio's deployments (patch deployments). */
  restart: boolean;
  /** May run and follow the model copy job. */
  copyJob: boolean;
  missing: string[];
}

export async function namespaceRights(conn: ClusterConnection, namespace: string, signal?: AbortSignal): Promise<NamespaceRights> {
  const [restart, copy] = await Promise.all([missingRights(conn, RESTART_NEEDS(namespace), signal), missingRights(conn, COPY_JOB_NEEDS(namespace), signal)]);
  return { restart: restart.length === 0, copyJob: copy.length === 0, missing: [...new Set([...restart, ...copy])] };
}

/** Thrown instead of attempting a change the cluster would refuse; carries what an admin can run instead. */
export class NoEditRightsError extends Error {
  readonly missing: string[];
  readonly commands: string[];
  constructor(action: string, missing: string[], commands: string[]) {
    super(
      `The console may not ${action}: it lacks ${missing.join(", ")}. Grant the console's principal the EKS edit access policy ` +
        `for the namespace, or run this yourself: ${commands.join(" && ")}`,
    );
    this.name = "NoEditRightsError";
    this.missing = missing;
    this.commands = commands;
  }
}
