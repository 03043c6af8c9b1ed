// What each resource should look like, from the environment and the facts. Plans compare AWS with this,
// applies converge AWS to it, verifies check AWS against it, the CLI script prints it.
import type { EnvironmentSettings } from "../config/environment";
import { bucketArn, roleArn } from "../policies/arn";
import { bucketPolicyStatements } from "../policies/bucket-policy";
import { rdsConnectPolicy } from "../policies/rds-connect-policy";
import { s3AccessPolicy } from "../policies/s3-access-policy";
import { trustPolicy } from "../policies/trust-policy";
import type { PolicyDocument, PolicyStatement } from "../policies/types";
import { managedTags } from "../aws/tags";
import type { Facts } from "./facts";

/** Names of the inline permission policies the console puts on its roles. */
export const RDS_POLICY_NAME = "studio-rds-db-connect";
export const S3_POLICY_NAME = "studio-s3-model-storage";

export type RoleKind = "rds" | "s3";

export interface RoleSpec {
  kind: RoleKind;
  name: string;
  arn: string;
  description: string;
  policyName: string;
  serviceAccounts: string[];
  /** Null when the cluster's issuer is unknown (cluster not found). */
  trust: PolicyDocument | null;
  /** Null when the database's resource id is unknown (database not found). */
  permissions: PolicyDocument | null;
  tags: Record<string, string>;
}

/** Service accounts per role: RDS for backend, event ingestion and DB migration; S3 for the model service. */
export function roleServiceAccounts(env: EnvironmentSettings, kind: RoleKind): string[] {
  return kind === "rds"
    ? [env.backendServiceAccount, env.eventIngestionServiceAccount, env.migrationServiceAccount]
    : [env.modelServiceAccount];
}

export function roleSpec(env: EnvironmentSettings, facts: Facts, kind: RoleKind): RoleSpec {
  const name = kind === "rds" ? env.rdsRoleName : env.s3RoleName;
  const serviceAccounts = roleServiceAccounts(env, kind);
  const trust =
    facts.oidcIssuer && facts.oidcProviderArn
      ? trustPolicy({
          oidcProviderArn: facts.oidcProviderArn,
          oidcIssuer: facts.oidcIssuer,
          scope: env.trustScope,
          namespace: env.namespace,
          serviceAccounts,
        })
      : null;
  const permissions =
    kind === "s3"
      ? s3AccessPolicy({ partition: facts.partition, bucketName: env.bucketName })
      : facts.db?.resourceId
        ? rdsConnectPolicy({
            partition: facts.partition,
            region: facts.region,
            accountId: facts.accountId,
            dbKind: facts.db.kind,
            resourceId: facts.db.resourceId,
            dbUser: env.iamDbUser,
          })
        : null;
  return {
    kind,
    name,
    arn: roleArn(facts.partition, facts.accountId, name),
    description:
      kind === "rds"
        ? `Rasa Studio ${env.name}: IAM database authentication (rds-db:connect) for backend, event ingestion and DB migration`
        : `Rasa Studio ${env.name}: model storage in S3 bucket ${env.bucketName}`,
    policyName: kind === "rds" ? RDS_POLICY_NAME : S3_POLICY_NAME,
    serviceAccounts,
    trust,
    permissions,
    tags: managedTags(env.name),
  };
}

export interface BucketSpec {
  name: string;
  arn: string;
  region: string;
  s3RoleArn: string;
  /** The console's statements; an adopted bucket's other statements are kept around them. */
  statements: PolicyStatement[];
  tags: Record<string, string>;
}

export function bucketSpec(env: EnvironmentSettings, facts: Facts, s3RoleArn?: string): BucketSpec {
  const role = s3RoleArn ?? roleArn(facts.partition, facts.accountId, env.s3RoleName);
  return {
    name: env.bucketName,
    arn: bucketArn(facts.partition, env.bucketName),
    region: env.region,
    s3RoleArn: role,
    statements: bucketPolicyStatements({ partition: facts.partition, bucketName: env.bucketName, s3RoleArn: role }),
    tags: managedTags(env.name),
  };
}
