import "server-only";
// The shape shared by the `rds-role` and `s3-role` steps: a role with the web-identity trust policy and one
// inline permission policy, created when missing and converged when it differs.
import type { EnvironmentSettings } from "../config/environment";
import { awsClients } from "../aws/clients";
import { createRole, putRolePolicy, readRole, tagRole, updateTrustPolicy } from "../aws/iam";
import { missingTags } from "../aws/tags";
import { policiesEqual, toPolicyJson } from "../policies/policy-json";
import { trustScopeWarning } from "../policies/trust-policy";
import { roleSpec, type RoleKind } from "./desired";
import { factsFromObserved, factsFromOutputs } from "./facts";
import { callContext, optionalOutput, type RoleOutput } from "./outputs";
import type { Observed, PlannedChange, Step, StepContext, StepKey } from "./types";
import { verifyByPlan } from "./verify-by-plan";

export const ROLE_ACTIONS = [
  "iam:GetRole",
  "iam:ListRolePolicies",
  "iam:GetRolePolicy",
  "iam:CreateRole",
  "iam:TagRole",
  "iam:UpdateAssumeRolePolicy",
  "iam:PutRolePolicy",
];

function planRole(key: StepKey, kind: RoleKind, env: EnvironmentSettings, observed: Observed): PlannedChange[] {
  const spec = roleSpec(env, factsFromObserved(env, observed), kind);
  const role = observed.roles[kind];
  const scopeWarning = trustScopeWarning(env.trustScope, env.namespace);
  const roleRes = `IAM role ${spec.name}`;
  const changes: PlannedChange[] = [];
  const trustDoc = spec.trust ? toPolicyJson(spec.trust) : undefined;
  const missingFacts = !spec.trust ? [`EKS cluster ${env.clusterName} not found: the trust policy cannot be written yet`] : [];
  const warnings = [...(scopeWarning ? [scopeWarning] : []), ...missingFacts];

  if (!role) {
    changes.push({
      step: key,
      action: "create",
      call: "iam:CreateRole",
      resource: roleRes,
      reason: `role does not exist; trusted by ${spec.serviceAccounts.join(", ")} in namespace ${env.namespace}`,
      document: trustDoc,
      language: "json",
      ...(warnings.length ? { warnings } : {}),
    });
  } else {
    const same = spec.trust !== null && policiesEqual(role.trustPolicy, spec.trust);
    changes.push({
      step: key,
      action: same ? "unchanged" : "update",
      call: "iam:UpdateAssumeRolePolicy",
      resource: `trust policy of ${roleRes}`,
      reason: same ? "trust policy matches" : "trust policy differs: the new document replaces it",
      document: trustDoc,
      language: "json",
      ...(warnings.length ? { warnings } : {}),
    });
  }

  const current = role?.inlinePolicies[spec.policyName];
  const permDoc = spec.permissions ? toPolicyJson(spec.permissions) : undefined;
  const permSame = !!role && current !== undefined && spec.permissions !== null && policiesEqual(current, spec.permissions);
  changes.push({
    step: key,
    action: permSame ? "unchanged" : current === undefined ? "create" : "update",
    call: "iam:PutRolePolicy",
    resource: `inline policy ${spec.policyName} of ${roleRes}`,
    reason: permSame ? "permissions match" : current === undefined ? "policy not attached yet" : "permissions differ",
    document: permDoc,
    language: "json",
    ...(kind === "rds" && !spec.permissions
      ? { warnings: [`database ${env.dbIdentifier} not found: the rds-db:connect resource id is unknown`] }
      : {}),
  });

  const lacking = role ? missingTags(role.tags, spec.tags) : spec.tags;
  changes.push({
    step: key,
    action: !role ? "create" : Object.keys(lacking).length ? "update" : "unchanged",
    call: role ? "iam:TagRole" : "iam:CreateRole",
    resource: `tags of ${roleRes}`,
    reason: !role ? "set when the role is created" : Object.keys(lacking).length ? "tags missing" : "tags present",
    document: toPolicyJson(lacking),
    language: "json",
  });
  return changes;
}

async function applyRole(key: StepKey, kind: RoleKind, ctx: StepContext): Promise<RoleOutput> {
  const c = awsClients(ctx.env.region);
  const cx = callContext(ctx);
  const spec = roleSpec(ctx.env, factsFromOutputs(ctx.env, ctx.outputs, key), kind);
  if (!spec.trust || !spec.permissions) throw new Error(`step ${key}: discovery did not provide the issuer or database resource id`);
  if (kind === "s3" && optionalOutput(ctx.outputs, "discover")?.bucketState === "foreign")
    throw new Error(
      `S3 bucket ${ctx.env.bucketName} belongs to another account: no role is created for it. Choose another bucket name.`,
    );
  const out: RoleOutput = { roleName: spec.name, roleArn: spec.arn, policyName: spec.policyName };
  let changed = false;

  const role = await readRole(c, cx, spec.name);
  if (!role) {
    const created = await createRole(c, cx, { name: spec.name, trustPolicy: spec.trust, description: spec.description, tags: spec.tags });
    out.roleArn = created.arn;
    await ctx.checkpoint({ ...out });
    await ctx.log("info", `created IAM role ${created.arn}`, created.requestId);
    changed = true;
  } else {
    out.roleArn = role.arn || spec.arn;
    if (!policiesEqual(role.trustPolicy, spec.trust)) {
      const res = await updateTrustPolicy(c, cx, spec.name, spec.trust);
      await ctx.checkpoint({ ...out });
      await ctx.log("info", `updated the trust policy of IAM role ${spec.name}`, res.requestId);
      changed = true;
    }
    const lacking = missingTags(role.tags, spec.tags);
    if (Object.keys(lacking).length) {
      const res = await tagRole(c, cx, spec.name, lacking);
      await ctx.log("info", `tagged IAM role ${spec.name} (${Object.keys(lacking).join(", ")})`, res.requestId);
      changed = true;
    }
  }

  const current = role?.inlinePolicies[spec.policyName];
  if (current === undefined || !policiesEqual(current, spec.permissions)) {
    const res = await putRolePolicy(c, cx, spec.name, spec.policyName, spec.permissions);
    await ctx.checkpoint({ ...out });
    await ctx.log("info", `${current === undefined ? "attached" : "updated"} inline policy ${spec.policyName} of IAM role ${spec.name}`, res.requestId);
    changed = true;
  }
  if (!changed) await ctx.log("info", `IAM role ${spec.name} already matches the plan: unchanged`);
  return out;
}

export function makeRoleStep(key: "rds-role" | "s3-role", kind: RoleKind, title: string): Step {
  const step: Step = {
    key,
    title,
    dependsOn: ["discover", "oidc-provider"],
    iamActions: ROLE_ACTIONS,
    plan: (env, observed) => planRole(key, kind, env, observed),
    apply: (ctx) => applyRole(key, kind, ctx),
    verify: (ctx) => verifyByPlan(step, ctx),
  };
  return step;
}
