import "server-only";
// Step `access-check` (guide step 5, "verify", for the roles): not part of the catalogue, the one step of an
// access run. The run observes every step as a plan does (read-only); this step then feeds what was read (the
// roles' trust, inline and attached policies and boundary, the bucket policy, the cluster's issuer or Pod
// Identity associations, the database's resource id and master user) to the access matrix (lib/access) and
// stores the matrix as its output. It reads nothing itself, so it needs nothing the operator policy lacks.
import { awsClients } from "../aws/clients";
import type { ObservedRole } from "../aws/iam";
import { readKeyPolicy, type KeyPolicyRead } from "../aws/kms";
import { AccessInputError, evaluateAccessMatrix, type AccessMatrix, type AccessMatrixInput, type RoleDocumentsInput } from "../access";
import type { EnvironmentSettings } from "../config/environment";
import { roleServiceAccounts } from "../helm/profiles";
import { discoverFacts } from "./discover";
import { identityFacts } from "./facts";
import type { PodIdentityFacts } from "./pod-identity";
import type { RoleKind } from "./role-step";
import { bucketKmsKey } from "./bucket-encryption";
import { bucketFacts } from "./s3-bucket";
import { factsOf, type Check, type Facts, type ObserveContext, type Proof, type Step } from "./types";

export const ACCESS_CHECK_KEY = "access-check";

/** The check's name: what it proves and what it does not (the database side is the IAM token login's). */
export const ACCESS_CHECK_NAME = "Access matrix (role side: who may assume the roles and what they reach)";

/** Something the matrix needs is not in the account: the check fails with what to do. */
class NotReadyError extends Error {}

function roleDocuments(facts: Facts, s: EnvironmentSettings, kind: RoleKind): RoleDocumentsInput {
  const role = facts[kind === "rds" ? "rds-role" : "s3-role"] as ObservedRole | null | undefined;
  const name = kind === "rds" ? s.rdsRoleName : s.s3RoleName;
  if (!role) throw new NotReadyError(`IAM role ${name} does not exist: apply the plan first`);
  return {
    roleArn: role.arn,
    trustPolicy: role.trustPolicy as object,
    inlinePolicies: Object.entries(role.inlinePolicies).map(([policyName, document]) => ({ name: policyName, document: document as object })),
    attachedPolicies: role.attachedPolicies.map((p) => ({ name: p.name, arn: p.arn, document: p.document as object })),
    permissionsBoundary: role.permissionsBoundary
      ? { arn: role.permissionsBoundary.arn, document: role.permissionsBoundary.document as object }
      : null,
    serviceAccounts: roleServiceAccounts(s, kind),
  };
}

/** The bucket's customer managed key for the matrix: its policy, or why it was not read (a warning there). */
function keyInput(read: AccessCheckFacts | undefined): AccessMatrixInput["kms"] {
  const key = read?.key;
  if (!key) return null;
  return key.keyPolicy ? { keyArn: key.keyArn, keyPolicy: key.keyPolicy } : { keyArn: key.keyArn, keyPolicy: null, unreadReason: key.reason };
}

/** The matrix's input from one observation of the environment (pure). */
export function accessInputFromFacts(facts: Facts, s: EnvironmentSettings): AccessMatrixInput {
  const id = identityFacts(facts);
  if (!id) throw new NotReadyError("the caller identity was not read (sts:GetCallerIdentity)");
  const { cluster, database } = discoverFacts(facts);
  if (!cluster) throw new NotReadyError(`EKS cluster ${s.clusterName} not found in ${s.region}`);
  if (!database?.resourceId) throw new NotReadyError(`database ${s.dbIdentifier} not found in ${s.region}, or it has no resource id`);
  if (!database.masterUsername) throw new NotReadyError(`database ${s.dbIdentifier}: RDS reports no master user name`);
  const roles = { rds: roleDocuments(facts, s, "rds"), s3: roleDocuments(facts, s, "s3") };
  const bucket = bucketFacts(facts);
  if (!bucket || bucket.state === "missing") throw new NotReadyError(`S3 bucket ${s.bucketName} does not exist: apply the plan first`);
  if (bucket.state === "foreign") throw new NotReadyError(`S3 bucket ${s.bucketName} is not this account's: ${bucket.detail}`);
  const pods = facts["pod-identity"] as PodIdentityFacts | undefined;
  return {
    partition: id.partition,
    region: s.region,
    accountId: id.accountId,
    clusterName: s.clusterName,
    namespace: s.namespace,
    identity:
      s.identityMode === "pod-identity"
        ? {
            kind: "pod-identity",
            associations: (pods?.associations ?? []).map((a) => ({ namespace: a.namespace, serviceAccount: a.serviceAccount, roleArn: a.roleArn })),
          }
        : { kind: "irsa", oidcIssuer: cluster.oidcIssuer, trustScope: s.trustScope },
    database: { resourceId: database.resourceId, iamDbUser: s.iamDbUser, masterUser: database.masterUsername },
    bucketName: s.bucketName,
    bucketPolicy: (bucket.policy as object | null) ?? null,
    kms: keyInput(factsOf(facts, accessCheckStep)),
    roles,
  };
}

/** One line for the run page and the log: the counts, and each failure with its reason. */
export function matrixCheck(matrix: AccessMatrix): Check {
  const { pass, warn, fail } = matrix.counts;
  const failures = [
    ...matrix.rows.filter((r) => r.verdict === "fail").map((r) => `${r.question}: ${r.decision}${r.note ? ` (${r.note})` : ""}`),
    ...matrix.findings.filter((f) => f.severity === "fail").map((f) => f.message),
  ];
  const counts = `${matrix.rows.length} questions: ${pass} as intended, ${warn} with a warning, ${fail} not as intended`;
  return { name: ACCESS_CHECK_NAME, ok: matrix.ok, detail: failures.length ? `${counts}; ${failures.join("; ")}` : counts };
}

export async function proveAccess(facts: Facts, s: EnvironmentSettings): Promise<Proof> {
  let input: AccessMatrixInput;
  try {
    input = accessInputFromFacts(facts, s);
  } catch (error) {
    if (error instanceof NotReadyError) return { checks: [{ name: ACCESS_CHECK_NAME, ok: false, detail: error.message }], report: {} };
    throw error;
  }
  let matrix: AccessMatrix;
  try {
    matrix = await evaluateAccessMatrix(input);
  } catch (error) {
    // A document AWS returned that the matrix cannot read (named field and rule): a failed proof, not a crash.
    if (error instanceof AccessInputError) return { checks: [{ name: ACCESS_CHECK_NAME, ok: false, detail: error.message }], report: {} };
    throw error;
  }
  const checks = [matrixCheck(matrix)];
  return { checks, report: { matrix } };
}

/** What the access check reads itself: the bucket's customer managed key policy, when there is such a key. */
export interface AccessCheckFacts {
  key: KeyPolicyRead | null;
}

async function observeKey(ctx: ObserveContext): Promise<AccessCheckFacts> {
  const key = bucketKmsKey(ctx.facts, ctx.settings);
  const id = identityFacts(ctx.facts);
  if (!key || !id) return { key: null };
  // The key lives in the bucket's region, which may not be the environment's.
  const region = key.arn.split(":")[3] || key.region;
  return { key: await readKeyPolicy(awsClients(region), ctx.cx, key.arn, id.accountId) };
}

export const accessCheckStep: Step<AccessCheckFacts> = {
  key: ACCESS_CHECK_KEY,
  title: "Prove who may do what (access matrix)",
  dependsOn: [],
  // Everything else was read by the run's observation of the catalogue's steps.
  permissions: [
    { actions: ["kms:GetKeyPolicy"], resources: (t) => [`arn:${t.partition}:kms:${t.settings?.region ?? "*"}:${t.accountId || "*"}:key/*`] },
  ],
  readsAfter: ["identity", "s3-bucket"],
  observe: observeKey,
  changes: () => [],
  prove: proveAccess,
};

export { storedMatrix } from "../access/stored";
