// Adopting only on purpose. A role or bucket the console created for this environment carries its tags; anything
// else with the chosen name is "adopted": the plan shows an `adopt` row with everything already attached and
// warnings for broad grants, and the apply runs only when the admin typed the resource's name in the run form
// (the field below). The adopt row's call tags the resource, so the next plan sees it as the console's.
import type { ObservedRole } from "../aws/iam";
import { ENVIRONMENT_KEY, MANAGED_BY_KEY, MANAGED_BY_VALUE } from "../aws/tags";
import { broadStatements, isBroadManagedPolicy } from "../policies/broad-policy";
import { statementsOf } from "../policies/policy-json";
import type { PlannedChange } from "./types";

/** Tagged as created by this console for this environment. */
export function createdHere(tags: Record<string, string>, environmentName: string): boolean {
  return tags[MANAGED_BY_KEY] === MANAGED_BY_VALUE && tags[ENVIRONMENT_KEY] === environmentName;
}

/** Why the resource is adopted rather than the console's own (the adopt row's reason). */
export function adoptReason(what: string, tags: Record<string, string>, environmentName: string): string {
  const other = tags[MANAGED_BY_KEY] === MANAGED_BY_VALUE ? tags[ENVIRONMENT_KEY] : undefined;
  const why = other
    ? `was created by the console for environment ${other}, not ${environmentName}`
    : `exists but was not created by the console (no ${MANAGED_BY_KEY}=${MANAGED_BY_VALUE}, ${ENVIRONMENT_KEY}=${environmentName} tags)`;
  return `${what} ${why}: adopted only when you type its name in the run form; adopting tags it for ${environmentName}`;
}

/** The run form's field where the admin types the resource's name to confirm its adoption. */
export function adoptField(resourceName: string): string {
  return `confirmAdopt:${resourceName}`;
}

/** Everything a role already has, as the adopt row shows it. */
export function roleInventory(role: ObservedRole) {
  return {
    Arn: role.arn,
    Path: role.path,
    Tags: role.tags,
    TrustStatements: statementsOf(role.trustPolicy),
    InlinePolicies: role.inlinePolicies,
    AttachedManagedPolicies: role.attachedPolicies.map((p) => ({ PolicyName: p.name, PolicyArn: p.arn })),
    PermissionsBoundary: role.permissionsBoundary?.arn ?? null,
  };
}

/** Warnings for what an adopted role would hand to Studio's pods: administrator-level or `*` grants. */
export function roleWarnings(role: ObservedRole): string[] {
  const out: string[] = [];
  for (const p of role.attachedPolicies) {
    if (isBroadManagedPolicy(p.arn)) out.push(`IAM role ${role.name} has ${p.name} attached: Studio's pods would get it`);
    else for (const line of broadStatements(p.document)) out.push(`managed policy ${p.name} attached to IAM role ${role.name}: ${line}`);
  }
  for (const [name, doc] of Object.entries(role.inlinePolicies))
    for (const line of broadStatements(doc)) out.push(`inline policy ${name} of IAM role ${role.name}: ${line}`);
  return out;
}

/** Warnings for an adopted bucket's policy: grants to everyone or `*` actions. */
export function bucketPolicyWarnings(bucket: string, policy: unknown): string[] {
  return statementsOf(policy).flatMap((s) => {
    if (s.Effect !== "Allow") return [];
    const who = s.Principal === "*" || (typeof s.Principal === "object" && ([] as unknown[]).concat(s.Principal.AWS ?? []).includes("*"));
    const lines = broadStatements({ Statement: [s] });
    if (who) lines.push(`${s.Sid ? `statement ${s.Sid}` : "a statement"} allows anyone (Principal *)`);
    return lines.map((l) => `bucket policy of S3 bucket ${bucket}: ${l}`);
  });
}

/**
 * The adoptions among `changes` whose name was not typed (`confirmed`: the names the admin typed), as
 * `{ field, name, resource }`. An apply with any of them is refused before anything runs.
 */
export function unconfirmedAdoptions(
  changes: Pick<PlannedChange, "action" | "resource" | "confirmName">[],
  confirmed: readonly string[],
): { field: string; name: string; resource: string }[] {
  return changes
    .filter((c) => c.action === "adopt" && c.confirmName && !confirmed.includes(c.confirmName))
    .map((c) => ({ field: adoptField(c.confirmName!), name: c.confirmName!, resource: c.resource }));
}

/** The refusal's sentence, naming each field. */
export function adoptRefusal(missing: { field: string; name: string; resource: string }[]): string {
  return `adopting needs the admin's confirmation: ${missing.map((m) => `type "${m.name}" in ${m.field} to adopt ${m.resource}`).join("; ")}`;
}
