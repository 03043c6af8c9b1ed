import "server-only";
// Teardown step `teardown-roles`: the environment's RDS and S3 roles, when the console created them for this
// environment (its tags). IAM deletes a role only once it has no inline policy and no attached managed policy, so
// the rows are: delete each inline policy, detach each managed policy (the policy itself stays), delete the role.
import { deleteRole, deleteRolePolicy, detachRolePolicy, readRole, type ObservedRole } from "../aws/iam";
import { scopes } from "../policies/scopes";
import { statementsOf } from "../policies/policy-json";
import { change, json } from "../steps/change";
import type { Change, Facts, Step } from "../steps/types";
import type { EnvironmentSettings } from "../config/environment";
import { alreadyGone, kept, notOursReason, removable } from "./kept";

const KEY = "teardown-roles";

export interface TeardownRolesFacts {
  roles: { name: string; role: ObservedRole | null }[];
}

/** The role names of the settings, once each (both roles may share a name). */
export const roleNames = (s: EnvironmentSettings) => [...new Set([s.rdsRoleName, s.s3RoleName])];

export const teardownRolesFacts = (facts: Facts) => facts[KEY] as TeardownRolesFacts | undefined;

/** The roles this teardown deletes: those the console created for this environment. */
export function rolesToDelete(facts: Facts, s: EnvironmentSettings): ObservedRole[] {
  return (teardownRolesFacts(facts)?.roles ?? []).flatMap((r) => (r.role && removable(r.role.tags, s.name) ? [r.role] : []));
}

function roleRows(name: string, role: ObservedRole | null, s: EnvironmentSettings): Change[] {
  const res = `IAM role ${name}`;
  if (!role) return [kept(KEY, `${name}:role`, "iam:DeleteRole", res, "not found: nothing to remove")];
  if (!removable(role.tags, s.name)) return [kept(KEY, `${name}:role`, "iam:DeleteRole", res, notOursReason(role.tags))];
  const out: Change[] = [];
  for (const [policyName, doc] of Object.entries(role.inlinePolicies).sort(([a], [b]) => a.localeCompare(b)))
    out.push(
      change(KEY, `${name}:policy:${policyName}`, {
        action: "delete",
        call: "iam:DeleteRolePolicy",
        resource: `inline policy ${policyName} of ${res}`,
        reason: "IAM deletes a role only without inline policies",
        document: json(doc),
        language: "json",
        needs: ["iam:DeleteRolePolicy"],
        async execute(ctx) {
          const r = await deleteRolePolicy(ctx.aws, ctx.cx, name, policyName);
          return { requestId: r.requestId, message: r.gone ? alreadyGone(`inline policy ${policyName} of ${res}`) : `deleted inline policy ${policyName} of ${res}` };
        },
        cli: (w) => w.command("aws", "iam", "delete-role-policy", "--role-name", name, "--policy-name", policyName),
      }),
    );
  for (const p of role.attachedPolicies)
    out.push(
      change(KEY, `${name}:detach:${p.arn}`, {
        action: "delete",
        call: "iam:DetachRolePolicy",
        resource: `attachment of managed policy ${p.name} to ${res}`,
        reason: "IAM deletes a role only without attached policies; the managed policy itself is kept",
        document: json({ RoleName: name, PolicyArn: p.arn }),
        language: "json",
        needs: ["iam:DetachRolePolicy"],
        async execute(ctx) {
          const r = await detachRolePolicy(ctx.aws, ctx.cx, name, p.arn);
          return { requestId: r.requestId, message: r.gone ? alreadyGone(`attachment of ${p.arn} to ${res}`) : `detached ${p.arn} from ${res}` };
        },
        cli: (w) => w.command("aws", "iam", "detach-role-policy", "--role-name", name, "--policy-arn", p.arn),
      }),
    );
  out.push(
    change(KEY, `${name}:role`, {
      action: "delete",
      call: "iam:DeleteRole",
      resource: res,
      reason: `created by the console for ${s.name} (tags)`,
      document: json({ RoleName: name, Arn: role.arn, TrustStatements: statementsOf(role.trustPolicy) }),
      language: "json",
      needs: ["iam:DeleteRole"],
      async execute(ctx) {
        const r = await deleteRole(ctx.aws, ctx.cx, name);
        return { requestId: r.requestId, message: r.gone ? alreadyGone(res) : `deleted ${role.arn}` };
      },
      cli: (w) => w.command("aws", "iam", "delete-role", "--role-name", name),
    }),
  );
  return out;
}

export const teardownRolesStep: Step<TeardownRolesFacts> = {
  key: KEY,
  title: "Delete the IAM roles the console created",
  // Pod identity associations that hand a role out go first.
  dependsOn: ["identity", "teardown-pod-identity"],
  permissions: [
    {
      actions: ["iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:DeleteRole"],
      resources: scopes.roles,
    },
    { actions: ["iam:GetPolicy", "iam:GetPolicyVersion"], resources: scopes.managedPolicies },
  ],
  async observe(ctx) {
    const names = roleNames(ctx.settings);
    const roles = await Promise.all(names.map(async (name) => ({ name, role: await ctx.read(`iam:GetRole:${name}`, () => readRole(ctx.aws, ctx.cx, name)) })));
    return { roles };
  },
  changes: (facts, s) => (teardownRolesFacts(facts)?.roles ?? []).flatMap((r) => roleRows(r.name, r.role, s)),
};
