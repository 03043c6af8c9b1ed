import "server-only";
// The least-privilege IAM policy the console's own identity needs, derived from the step catalogue: every step
// declares the IAM actions it calls, so a new call cannot be forgotten here. Scoped to the environment's
// resources when one is given, `*` otherwise.
import type { EnvironmentSettings } from "../config/environment";
import { partitionOf, type Partition } from "../config/aws-names";
import { INVENTORY_IAM_ACTIONS } from "../aws/inventory-actions";
import { STEPS } from "../steps/index";
import type { Step } from "../steps/types";
import { bucketArn, rdsDatabaseArn, roleArn } from "./arn";
import { POLICY_VERSION, type PolicyDocument, type PolicyStatement } from "./types";

export interface OperatorPolicyTarget {
  env: EnvironmentSettings;
  /** When unknown (before discovery), ARNs use `*` for the account. */
  accountId?: string;
}

export interface OperatorPolicyOptions {
  /** Include the wizard pickers' list calls (eks:ListClusters, s3:ListAllMyBuckets, …). Default true. */
  includePickers?: boolean;
  /** The catalogue to derive from (tests pass their own). */
  steps?: readonly Step[];
}

type Scope = "roles" | "oidc" | "bucket" | "database" | "cluster" | "dbuser" | "any";

/** What each action is scoped to; anything not listed (List*, GetCallerIdentity) needs `*`. */
const SCOPE: Record<string, Scope> = {
  "iam:GetRole": "roles",
  "iam:ListRolePolicies": "roles",
  "iam:GetRolePolicy": "roles",
  "iam:CreateRole": "roles",
  "iam:TagRole": "roles",
  "iam:UpdateAssumeRolePolicy": "roles",
  "iam:PutRolePolicy": "roles",
  "iam:GetOpenIDConnectProvider": "oidc",
  "iam:CreateOpenIDConnectProvider": "oidc",
  "iam:TagOpenIDConnectProvider": "oidc",
  "iam:AddClientIDToOpenIDConnectProvider": "oidc",
  "eks:DescribeCluster": "cluster",
  "rds:DescribeDBInstances": "database",
  "rds:DescribeDBClusters": "database",
  "rds:ModifyDBInstance": "database",
  "rds:ModifyDBCluster": "database",
  "rds-db:connect": "dbuser",
};
for (const a of [
  "ListBucket",
  "GetBucketLocation",
  "CreateBucket",
  "GetBucketTagging",
  "PutBucketTagging",
  "GetBucketVersioning",
  "PutBucketVersioning",
  "GetEncryptionConfiguration",
  "PutEncryptionConfiguration",
  "GetBucketPublicAccessBlock",
  "PutBucketPublicAccessBlock",
  "GetBucketPolicy",
  "PutBucketPolicy",
])
  SCOPE[`s3:${a}`] = "bucket";

const SID: Record<Scope, string> = {
  roles: "StudioRoles",
  oidc: "ClusterOidcProvider",
  bucket: "ModelBucket",
  database: "StudioDatabase",
  cluster: "EksCluster",
  dbuser: "IamDatabaseLogin",
  any: "ReadOnlyLookups",
};

function resources(scope: Scope, target: OperatorPolicyTarget | undefined): string[] {
  if (!target || scope === "any") return ["*"];
  const { env } = target;
  const p: Partition = partitionOf(env.region);
  const account = target.accountId ?? "*";
  switch (scope) {
    case "roles":
      return [roleArn(p, account, env.rdsRoleName), roleArn(p, account, env.s3RoleName)];
    case "oidc":
      return [`arn:${p}:iam::${account}:oidc-provider/*`];
    case "bucket":
      return [bucketArn(p, env.bucketName)];
    case "database":
      return [rdsDatabaseArn(p, env.region, account, env.dbKind, env.dbIdentifier)];
    case "cluster":
      return [`arn:${p}:eks:${env.region}:${account}:cluster/${env.clusterName}`];
    case "dbuser":
      return [`arn:${p}:rds-db:${env.region}:${account}:dbuser:*/${env.iamDbUser}`];
  }
}

/** A known Aurora target needs no instance calls, and the reverse. */
function otherKindActions(env: EnvironmentSettings): string[] {
  return env.dbKind === "instance" ? ["rds:DescribeDBClusters", "rds:ModifyDBCluster"] : ["rds:DescribeDBInstances", "rds:ModifyDBInstance"];
}

function stepActions(opts: OperatorPolicyOptions, env?: EnvironmentSettings): string[] {
  const all = new Set((opts.steps ?? STEPS).flatMap((s) => s.iamActions ?? []));
  if (env) for (const a of otherKindActions(env)) all.delete(a);
  return [...all];
}

function pickerActions(opts: OperatorPolicyOptions): string[] {
  return opts.includePickers === false ? [] : INVENTORY_IAM_ACTIONS;
}

/** Every IAM action the console calls (steps and, by default, the pickers), sorted, without duplicates. */
export function operatorActions(opts: OperatorPolicyOptions = {}, env?: EnvironmentSettings): string[] {
  return [...new Set([...stepActions(opts, env), ...pickerActions(opts)])].sort();
}

export function operatorPolicy(target?: OperatorPolicyTarget, opts: OperatorPolicyOptions = {}): PolicyDocument {
  const byScope = new Map<Scope, Set<string>>();
  const add = (scope: Scope, action: string) => byScope.set(scope, (byScope.get(scope) ?? new Set()).add(action));
  // The pickers list whole accounts: unscoped, and then the same action needs no scoped copy.
  const pickers = pickerActions(opts);
  for (const a of pickers) add("any", a);
  for (const a of stepActions(opts, target?.env)) if (!pickers.includes(a)) add(SCOPE[a] ?? "any", a);
  const order: Scope[] = ["any", "cluster", "database", "dbuser", "oidc", "roles", "bucket"];
  const statements: PolicyStatement[] = order
    .filter((s) => byScope.get(s)?.size)
    .map((s) => ({ Sid: SID[s], Effect: "Allow", Action: [...byScope.get(s)!].sort(), Resource: resources(s, target) }));
  return { Version: POLICY_VERSION, Statement: statements };
}
