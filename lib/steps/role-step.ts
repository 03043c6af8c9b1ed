import "server-only";
// The shape shared by the `rds-role` and `s3-role` steps: a role with the trust policy of Studio's service
// accounts and one inline permission policy, created when missing and converged when it differs.
import { createOrFindOwnRole, putRoleBoundary, putRolePolicy, readRole, tagRole, updateTrustPolicy, type ObservedRole } from "../aws/iam";
import { adoptionTags, managedTags, missingTags, toTagList } from "../aws/tags";
import type { EnvironmentSettings } from "../config/environment";
import { roleServiceAccounts } from "../helm/profiles";
import { roleArn } from "../policies/arn";
import { policiesEqual, statementsOf } from "../policies/policy-json";
import { rdsConnectPolicy } from "../policies/rds-connect-policy";
import { s3AccessPolicy } from "../policies/s3-access-policy";
import { scopes } from "../policies/scopes";
import { kmsGrantStatement } from "../policies/kms-grant";
import { foreignTrustStatements, mergeTrustPolicy } from "../policies/trust-merge";
import { roleTrustPolicy, trustScopeWarning } from "../policies/trust-policy";
import type { PolicyDocument } from "../policies/types";
import { bucketKmsKey } from "./bucket-encryption";
import { adoptReason, createdHere, roleInventory, roleWarnings } from "./adopt";
import { change, json } from "./change";
import { roleNotVisibleYet, unknownPrincipal, whilePropagating } from "./propagation";
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
  if (kind === "s3") {
    const policy = s3AccessPolicy({ partition: id.partition, bucketName: s.bucketName });
    // SSE-KMS with a customer managed key: without the grant the models in the bucket are unreadable to Studio.
    const key = bucketKmsKey(facts, s);
    return key ? { ...policy, Statement: [...policy.Statement, kmsGrantStatement(key.arn, key.region)] } : policy;
  }
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

/** The adopt row of an existing role: tags it for this environment, showing everything the role already has. */
function adoptRow(key: RoleStepKey, role: ObservedRole, lacking: Record<string, string>, environmentName: string): Change {
  const name = role.name;
  const foreign = role.trustPolicy ? statementsOf(role.trustPolicy).length : 0;
  return change(key, "adopt", {
    action: "adopt",
    call: "iam:TagRole",
    resource: `IAM role ${name}`,
    reason: adoptReason(`IAM role ${name}`, role.tags, environmentName),
    document: json({ Tags: toTagList(lacking), Existing: roleInventory(role) }),
    language: "json",
    confirmName: name,
    needs: ["iam:TagRole"],
    warnings: [
      ...roleWarnings(role),
      ...(foreign
        ? [`IAM role ${name} already has ${foreign} trust statement${foreign === 1 ? "" : "s"}: the trust update keeps every statement the console does not own`]
        : []),
    ],
    async execute(ctx) {
      const r = await tagRole(ctx.aws, ctx.cx, name, lacking);
      return { requestId: r.requestId, message: `adopted IAM role ${role.arn} (tagged ${Object.keys(lacking).join(", ")})` };
    },
    cli: (w) => w.command("aws", "iam", "tag-role", "--role-name", name, "--tags", ...toTagList(lacking).map((t) => `Key=${t.Key},Value=${t.Value}`)),
  });
}

/**
 * The permissions boundary the settings ask for, on a role that exists: set when it has none or another one (a
 * boundary only narrows what the role may do). No row when the settings name none: a role's own boundary stays.
 */
function boundaryRow(key: RoleStepKey, role: ObservedRole, s: EnvironmentSettings): Change | null {
  const want = s.permissionsBoundaryArn;
  if (!want) return null;
  const have = role.permissionsBoundary?.arn ?? null;
  const same = have === want;
  return change(key, "boundary", {
    action: same ? "unchanged" : "update",
    call: "iam:PutRolePermissionsBoundary",
    resource: `permissions boundary of IAM role ${role.name}`,
    reason: same ? "boundary set" : have ? `boundary is ${have}` : "role has no permissions boundary",
    document: json({ PermissionsBoundary: want }),
    language: "json",
    needs: ["iam:PutRolePermissionsBoundary"],
    ...(!same && {
      async execute(ctx) {
        const r = await putRoleBoundary(ctx.aws, ctx.cx, role.name, want);
        return { requestId: r.requestId, message: `set the permissions boundary of IAM role ${role.name} to ${want}` };
      },
      cli: (w) => w.command("aws", "iam", "put-role-permissions-boundary", "--role-name", role.name, "--permissions-boundary", want),
    }),
  });
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
        reason:
          `role does not exist; trusted by ${roleServiceAccounts(s, kind).join(", ")} in namespace ${s.namespace}; tagged ${Object.keys(tags).join(", ")}` +
          (s.rolePath !== "/" ? `; path ${s.rolePath}` : "") +
          (s.permissionsBoundaryArn ? `; permissions boundary ${s.permissionsBoundaryArn}` : ""),
        document: trust ? json(trust) : undefined,
        language: "json",
        // Creating a role with a boundary is also a PutRolePermissionsBoundary in IAM's eyes.
        needs: ["iam:CreateRole", "iam:TagRole", ...(s.permissionsBoundaryArn ? ["iam:PutRolePermissionsBoundary"] : [])],
        ...(missing.length ? { warnings: missing } : {}),
        ...(trust && {
          async execute(ctx) {
            // Right after the OIDC provider is created, IAM may not know it as a principal yet.
            const created = await whilePropagating(
              ctx,
              `iam:CreateRole ${name}`,
              () =>
                createOrFindOwnRole(ctx.aws, ctx.cx, {
                  name,
                  trustPolicy: trust,
                  description,
                  tags,
                  path: s.rolePath,
                  permissionsBoundary: s.permissionsBoundaryArn,
                }),
              unknownPrincipal,
            );
            return {
              output: { roleArn: created.arn },
              requestId: created.requestId,
              message: created.existed
                ? `IAM role ${created.arn} was already there with this request's tags and trust policy (an earlier iam:CreateRole was accepted, its answer lost): used as created`
                : `created IAM role ${created.arn}`,
            };
          },
          cli: (w) =>
            w.command(
              "aws", "iam", "create-role", "--role-name", name, "--description", description,
              ...(s.rolePath !== "/" ? ["--path", s.rolePath] : []),
              ...(s.permissionsBoundaryArn ? ["--permissions-boundary", s.permissionsBoundaryArn] : []),
              "--assume-role-policy-document", { file: json(trust), name: `${name}-trust` },
              "--tags", ...toTagList(tags).map((t) => `Key=${t.Key},Value=${t.Value}`),
            ),
        }),
      }),
    );
  } else {
    // A role this environment did not create is adopted only on purpose: one row with all it already has.
    const ours = createdHere(role.tags, s.name);
    if (!ours) out.push(adoptRow(key, role, missingTags(role.tags, adoptionTags(s.name)), s.name));
    // The console's trust statements (by Sid) are replaced; every other statement the role has is kept.
    const wanted = trust ? mergeTrustPolicy(role.trustPolicy, trust) : null;
    const kept = trust ? foreignTrustStatements(role.trustPolicy, trust).length : 0;
    const same = !!wanted && policiesEqual(role.trustPolicy, wanted);
    out.push(
      change(key, "trust", {
        action: same ? "unchanged" : "update",
        call: "iam:UpdateAssumeRolePolicy",
        resource: `trust policy of ${res}`,
        reason: same
          ? "trust policy matches"
          : `the console's trust statement is missing or differs${kept ? `; ${kept} other statement${kept === 1 ? "" : "s"} of the role kept` : ""}`,
        document: wanted ? json(wanted) : undefined,
        language: "json",
        needs: ["iam:UpdateAssumeRolePolicy"],
        ...(missing.length ? { warnings: missing } : {}),
        ...(!same &&
          wanted && {
            async execute(ctx) {
              const r = await whilePropagating(ctx, `iam:UpdateAssumeRolePolicy ${name}`, () => updateTrustPolicy(ctx.aws, ctx.cx, name, wanted), unknownPrincipal);
              return { requestId: r.requestId, message: `updated the trust policy of IAM role ${name}` };
            },
            cli: (w) =>
              w.command("aws", "iam", "update-assume-role-policy", "--role-name", name, "--policy-document", { file: json(wanted), name: `${name}-trust` }),
          }),
      }),
    );
    const boundary = boundaryRow(key, role, s);
    if (ours)
      out.push(
        change(key, "tags", {
          action: "unchanged",
          call: "iam:TagRole",
          resource: `tags of ${res}`,
          reason: "tags present",
          document: json([]),
          language: "json",
          needs: ["iam:TagRole"],
        }),
      );
    if (boundary) out.push(boundary);
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
            // Right after CreateRole, the new role may not be visible to PutRolePolicy yet.
            const r = await whilePropagating(
              ctx,
              `iam:PutRolePolicy ${name}`,
              () => putRolePolicy(ctx.aws, ctx.cx, name, policyName, permissions),
              roleNotVisibleYet,
            );
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
          "iam:PutRolePermissionsBoundary",
        ],
        resources: scopes.role(nameField(kind)),
      },
      // What else a role may do: its attached policies and its boundary, read to show and judge them.
      { actions: ["iam:GetPolicy", "iam:GetPolicyVersion"], resources: scopes.managedPolicies },
    ],
    observe: (ctx) => ctx.read(`iam:GetRole:${ctx.settings[nameField(kind)]}`, () => readRole(ctx.aws, ctx.cx, ctx.settings[nameField(kind)])),
    changes: (facts, s) => roleChanges(key, kind, facts, s),
    warnings: (facts, s) => {
      const w = trustScopeWarning(s.trustScope, s.namespace);
      const role = facts[key] as ObservedRole | null | undefined;
      // IAM cannot move a role to another path: the role keeps its own, and its ARN is the one IAM reports.
      const path =
        role && role.path !== s.rolePath
          ? `IAM role ${role.name} is at path ${role.path}, the settings say ${s.rolePath}: IAM cannot move a role, so its ARN stays ${role.arn}`
          : null;
      return [w, path].filter((x): x is string => !!x);
    },
    ...extra,
  };
}

/** The role's ARN as IAM reports it, or the one IAM will give it; null before the account is known. */
export function roleArnOf(facts: Facts, s: EnvironmentSettings, kind: RoleKind): string | null {
  const observed = facts[kind === "rds" ? "rds-role" : "s3-role"] as ObservedRole | null | undefined;
  if (observed?.arn) return observed.arn;
  const id = identityFacts(facts);
  return id ? roleArn(id.partition, id.accountId, s[nameField(kind)], s.rolePath) : null;
}
