// What makes a policy broad enough that adopting a role or bucket carrying it deserves a warning: AWS's
// administrator-level managed policies, and Allow statements with `*` actions (everything, a whole service, or
// everything but a list: NotAction). A role the console adopts is handed to Studio's pods; so is all it may do.
import { statementsOf } from "./policy-json";
import type { PolicyStatement } from "./types";

/** AWS managed policies that grant (nearly) everything. */
export const BROAD_MANAGED_POLICIES: readonly string[] = ["AdministratorAccess", "PowerUserAccess"];

const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === "string");

/** The `*` actions of one statement (`*`, `iam:*`, or `NotAction …`), empty when it grants named actions only. */
function wildcardActions(s: PolicyStatement & { NotAction?: unknown }): string[] {
  if (s.Effect !== "Allow") return [];
  if (s.NotAction !== undefined) return [`NotAction ${list(s.NotAction).join(", ")}`];
  return list(s.Action).filter((a) => a === "*" || /^[a-z0-9-]+:\*$/i.test(a));
}

/** One line per broad statement of a document (empty when none is broad). */
export function broadStatements(doc: unknown): string[] {
  return statementsOf(doc).flatMap((s) => {
    const actions = wildcardActions(s);
    return actions.length ? [`${s.Sid ? `statement ${s.Sid}` : "a statement"} allows ${actions.join(", ")}`] : [];
  });
}

/** Is this managed policy ARN one of AWS's administrator-level policies (any partition)? */
export function isBroadManagedPolicy(arn: string): boolean {
  const m = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  return !!m && BROAD_MANAGED_POLICIES.includes(m[1]);
}
