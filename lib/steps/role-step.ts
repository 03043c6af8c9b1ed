import "server-only";
// The shape shared by the `rds-role` and `s3-role` steps: a role with the trust policy of Studio's service
// accounts and one inline permission policy, created when missing and converged when it differs.
import { createRole, putRolePolicy, readRole, tagRole, updateTrustPolicy, type ObservedRole } from "../aws/iam";
import { managedTags, missingTags, toTagList } from "../aws/tags";
import type { EnvironmentSettings } from "../config/environment";
import { roleServiceAccounts } from "../helm/profiles";
import { roleArn } from "../policies/arn";
import { policiesEqual } from "../policies/policy-json";
import { rdsConnectPolicy } from "../policies/rds-connect-policy";
import { s3AccessPolicy } from "../policies/s3-access-policy";
import { scopes } from "../policies/scopes";
import { roleTrustPolicy, trustScopeWarning } from "../policies/trust-policy";
import type { PolicyDocument } from "../policies/types";
import { change, json } from "./change";
import { discoverFacts } from "./discover";
import { identityFacts } from "./facts";
import { providerArnOf } from "./oidc-provider";
import type { Change, Facts, Step } from "./types";

/** Names of the inline permission policies the console puts on its roles. */
export const RDS_POLICY_NAME = "studio-rds-db-connect";
export const S3_POLICY_NAME = "studio-s3-model-storage";

export type RoleKind = "rds" | "s3";
type RoleStepKey = "rds-role" | "s3-role";

/**
 * Service accounts per role, as the chart the environment runs has them (lib/helm/profiles.ts): RDS for the
 * backend (or app), the migration job and event ingestion when it runs on its own; S3 for the model service.
 */
export { roleServiceAccounts };

const nameField = (kind: RoleKind): "rdsRoleName" | "s3RoleName" => (kind === "rds" ? "rdsRoleName" : "s3RoleName");

/** The role's permission policy, or null while the database's resource id is unknown. */
function permissionsFor(kind: RoleKind, s: EnvironmentSettings, facts: Facts): PolicyDocument | null {
  const id = identityFacts(facts);
  if (!id) return null;
  if (kind === "s3") return s3AccessPolicy({ partition: id.partition, bucketName: s.bucketName });
  const db = discoverFacts(facts).database;
  if (!db?.resourceId) return null;
  return rdsConnectPolicy({
    partition: id.partition,
    region: s.region,
    accountId: id.accountId,
    dbKind: db.kind,
    resourceId: db.resourceId,
    dbUser: s.iamDbUser,
  });
}

/** The trust: the role step does not know how pods get their roles; the trust builder decides from the settings. */
function trustFor(kind: RoleKind, s: EnvironmentSettings, facts: Facts): PolicyDocument | null {
  const cluster = discoverFacts(facts).cluster;
  return roleTrustPolicy(
    { settings: s, serviceAccounts: roleServiceAccounts(s, kind) },
    {
      accountId: identityFacts(facts)?.accountId ?? null,
      oidcProviderArn: providerArnOf(facts),
      oidcIssuer: cluster?.oidcIssuer || null,
      clusterArn: cluster?.arn || null,
    },
  );
}

function roleChanges(key: RoleStepKey, kind: RoleKind, facts: Facts, s: EnvironmentSettings): Change[] {
  const name = s[nameField(kind)];
  const role = (facts[key] as ObservedRole | null | undefined) ?? null;
  const trust = trustFor(kind, s, facts);
  const permissions = permissionsFor(kind, s, facts);
  const policyName = kind === "rds" ? RDS_POLICY_NAME : S3_POLICY_NAME;
  const tags = managedTags(s.name);
  const res = `IAM role ${name}`;
  const missing = !trust ? [`EKS cluster ${s.clusterName} not found: the trust policy cannot be written yet`] : [];
  const out: Change[] = [];

  if (!role) {
    const description =
      kind === "rds"
        ? `Rasa Studio ${s.name}: IAM database authentication (rds-db:connect) for backend, event ingestion and DB migration`
        : `Rasa Studio ${s.name}: model storage in S3 bucket ${s.bucketName}`;
    out.push(
      change(key, "role", {
        action: "create",
        call: "iam:CreateRole",
        resource: res,
        reason: `role does not exist; trusted by ${roleServiceAccounts(s, kind).join(", ")} in namespace ${s.namespace}; tagged ${Object.keys(tags).join(", ")}`,
        document: trust ? json(trust) : undefined,
        language: "json",
        needs: ["iam:CreateRole", "iam:TagRole"],
        ...(missing.length ? { warnings: missing } : {}),
        ...(trust && {
          async execute(ctx) {
            const created = await createRole(ctx.aws, ctx.cx, { name, trustPolicy: trust, description, tags });
            return { output: { roleArn: created.arn }, requestId: created.requestId, message: `created IAM role ${created.arn}` };
          },
          cli: (w) =>
            w.command(
              "aws", "iam", "create-role", "--role-name", name, "--description", description,
              "--assume-role-policy-document", { file: json(trust), name: `${name}-trust` },
              "--tags", ...toTagList(tags).map((t) => `Key=${t.Key},Value=${t.Value}`),
            ),
        }),
      }),
    );
  } else {
    const same = !!trust && policiesEqual(role.trustPolicy, trust);
    out.push(
      change(key, "trust", {
        action: same ? "unchanged" : "update",
        call: "iam:UpdateAssumeRolePolicy",
        resource: `trust policy of ${res}`,
        reason: same ? "trust policy matches" : "trust policy differs: the new document replaces it",
        document: trust ? json(trust) : undefined,
        language: "json",
        needs: ["iam:UpdateAssumeRolePolicy"],
        ...(missing.length ? { warnings: missing } : {}),
        ...(!same &&
          trust && {
            async execute(ctx) {
              const r = await updateTrustPolicy(ctx.aws, ctx.cx, name, trust);
              return { requestId: r.requestId, message: `updated the trust policy of IAM role ${name}` };
            },
            cli: (w) =>
              w.command("aws", "iam", "update-assume-role-policy", "--role-name", name, "--policy-document", { file: json(trust), name: `${name}-trust` }),
          }),
      }),
    );
    const lacking = missingTags(role.tags, tags);
    const tagsOk = Object.keys(lacking).length === 0;
    out.push(
      change(key, "tags", {
        action: tagsOk ? "unchanged" : "update",
        call: "iam:TagRole",
        resource: `tags of ${res}`,
        reason: tagsOk ? "tags present" : `tags missing: ${Object.keys(lacking).join(", ")}`,
        document: json(toTagList(lacking)),
        language: "json",
        needs: ["iam:TagRole"],
        ...(!tagsOk && {
          async execute(ctx) {
            const r = await tagRole(ctx.aws, ctx.cx, name, lacking);
            return { requestId: r.requestId, message: `tagged IAM role ${name} (${Object.keys(lacking).join(", ")})` };
          },
          cli: (w) => w.command("aws", "iam", "tag-role", "--role-name", name, "--tags", ...toTagList(lacking).map((t) => `Key=${t.Key},Value=${t.Value}`)),
        }),
      }),
    );
  }

  const current = role?.inlinePolicies[policyName];
  const permSame = current !== undefined && !!permissions && policiesEqual(current, permissions);
  out.push(
    change(key, "policy", {
      action: permSame ? "unchanged" : current === undefined ? "create" : "update",
      call: "iam:PutRolePolicy",
      resource: `inline policy ${policyName} of ${res}`,
      reason: permSame ? "permissions match" : current === undefined ? "policy not attached yet" : "permissions differ",
      document: permissions ? json(permissions) : undefined,
      language: "json",
      needs: ["iam:PutRolePolicy"],
      ...(kind === "rds" && !permissions ? { warnings: [`database ${s.dbIdentifier} not found: the rds-db:connect resource id is unknown`] } : {}),
      ...(!permSame &&
        permissions && {
          async execute(ctx) {
            const r = await putRolePolicy(ctx.aws, ctx.cx, name, policyName, permissions);
            return { requestId: r.requestId, message: `${current === undefined ? "attached" : "updated"} inline policy ${policyName} of IAM role ${name}` };
          },
          cli: (w) =>
            w.command("aws", "iam", "put-role-policy", "--role-name", name, "--policy-name", policyName, "--policy-document", {
              file: json(permissions),
              name: `${name}-${policyName}`,
            }),
        }),
    }),
  );
  return out;
}

export function makeRoleStep(key: RoleStepKey, kind: RoleKind, title: string, extra: Pick<Step, "blockers"> = {}): Step<ObservedRole | null> {
  return {
    key,
    title,
    dependsOn: ["identity", "discover", "oidc-provider"],
    permissions: [
      {
        actions: [
          "iam:GetRole",
          "iam:ListRolePolicies",
          "iam:GetRolePolicy",
          "iam:ListAttachedRolePolicies",
          "iam:CreateRole",
          "iam:TagRole",
          "iam:UpdateAssumeRolePolicy",
          "iam:PutRolePolicy",
        ],
        resources: scopes.role(nameField(kind)),
      },
      // What else a role may do: its attached policies and its boundary, read to show and judge them.
      { actions: ["iam:GetPolicy", "iam:GetPolicyVersion"], resources: scopes.managedPolicies },
    ],
    observe: (ctx) => ctx.read(`iam:GetRole:${ctx.settings[nameField(kind)]}`, () => readRole(ctx.aws, ctx.cx, ctx.settings[nameField(kind)])),
    changes: (facts, s) => roleChanges(key, kind, facts, s),
    warnings: (_facts, s) => {
      const w = trustScopeWarning(s.trustScope, s.namespace);
      return w ? [w] : [];
    },
    ...extra,
  };
}

/** The role's ARN as IAM reports it, or the one IAM will give it; null before the account is known. */
export function roleArnOf(facts: Facts, s: EnvironmentSettings, kind: RoleKind): string | null {
  const observed = facts[kind === "rds" ? "rds-role" : "s3-role"] as ObservedRole | null | undefined;
  if (observed?.arn) return observed.arn;
  const id = identityFacts(facts);
  return id ? roleArn(id.partition, id.accountId, s[nameField(kind)]) : null;
}
