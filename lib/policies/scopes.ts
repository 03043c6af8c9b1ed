// Where the console's own IAM permissions apply: the resources of one environment, or (without settings, for
// the policy of any environment) every resource of that type in the account. Pure ARN builders; the steps
// declare which scope each of their actions needs (lib/steps/*: `permissions`).
import type { EnvironmentSettings } from "../config/environment";
import type { Partition } from "../config/aws-names";
import { bucketArn, rdsDatabaseArn, roleArn } from "./arn";

/** Where an IAM permission applies. */
export interface ScopeTarget {
  partition: Partition;
  /** `*` when unknown (before the first plan) or for the policy of any environment. */
  accountId: string;
  region: string;
  /** Absent for the policy of any environment: names become `*`. */
  settings?: EnvironmentSettings;
}

const ANY = "*";

/** The account part of ARNs: the known account, else `*`. */
const account = (t: ScopeTarget) => t.accountId || ANY;
const region = (t: ScopeTarget) => (t.settings ? t.settings.region : t.region || ANY);

/** Actions AWS defines without a resource type: they can only be granted on `*`. */
export const RESOURCELESS_ACTIONS: ReadonlySet<string> = new Set([
  "sts:GetCallerIdentity",
  "iam:ListOpenIDConnectProviders",
  "iam:ListRoles",
  "eks:ListClusters",
  "s3:ListAllMyBuckets",
]);

export const noResource = (): string[] => [ANY];

export const scopes = {
  /** The role of `which` (`rdsRoleName` or `s3RoleName`), or every role. */
  role: (which: "rdsRoleName" | "s3RoleName") => (t: ScopeTarget) => [
    roleArn(t.partition, account(t), t.settings?.[which] ?? ANY, t.settings?.rolePath),
  ],
  /** Both of the environment's roles, at the environment's role path (iam:PassRole for Pod Identity names both). */
  roles: (t: ScopeTarget) =>
    t.settings
      ? [
          roleArn(t.partition, account(t), t.settings.rdsRoleName, t.settings.rolePath),
          roleArn(t.partition, account(t), t.settings.s3RoleName, t.settings.rolePath),
        ]
      : [roleArn(t.partition, account(t), ANY)],
  /** Managed policies, AWS's (account `aws`) and the account's: a role's attached policies are read to judge it. */
  managedPolicies: (t: ScopeTarget) => [`arn:${t.partition}:iam::*:policy/*`],
  /** IAM OIDC providers (the issuer is only known once the cluster is read). */
  oidcProvider: (t: ScopeTarget) => [`arn:${t.partition}:iam::${account(t)}:oidc-provider/*`],
  bucket: (t: ScopeTarget) => [bucketArn(t.partition, t.settings?.bucketName ?? ANY)],
  cluster: (t: ScopeTarget) => [`arn:${t.partition}:eks:${region(t)}:${account(t)}:cluster/${t.settings?.clusterName ?? ANY}`],
  /** Add-ons of the cluster (`addon/<cluster>/<name>/<uuid>`). */
  addon: (name: string) => (t: ScopeTarget) => [
    `arn:${t.partition}:eks:${region(t)}:${account(t)}:addon/${t.settings?.clusterName ?? ANY}/${name}/*`,
  ],
  /** Pod identity associations of the cluster (`podidentityassociation/<cluster>/<id>`). */
  podIdentityAssociation: (t: ScopeTarget) => [
    `arn:${t.partition}:eks:${region(t)}:${account(t)}:podidentityassociation/${t.settings?.clusterName ?? ANY}/*`,
  ],
  /** The RDS instance or Aurora cluster (both kinds for any environment). */
  database: (t: ScopeTarget) =>
    t.settings
      ? [rdsDatabaseArn(t.partition, region(t), account(t), t.settings.dbKind, t.settings.dbIdentifier)]
      : [`arn:${t.partition}:rds:${ANY}:${account(t)}:db:${ANY}`, `arn:${t.partition}:rds:${ANY}:${account(t)}:cluster:${ANY}`],
  /** Every instance and cluster in the region: what the pickers list. */
  databases: (t: ScopeTarget) => [
    `arn:${t.partition}:rds:${region(t)}:${account(t)}:db:${ANY}`,
    `arn:${t.partition}:rds:${region(t)}:${account(t)}:cluster:${ANY}`,
  ],
  /** The IAM database user on any database resource id (the token login check signs as the console). */
  dbUser: (t: ScopeTarget) => [`arn:${t.partition}:rds-db:${region(t)}:${account(t)}:dbuser:${ANY}/${t.settings?.iamDbUser ?? ANY}`],
};
