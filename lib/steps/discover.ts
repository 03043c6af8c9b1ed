import "server-only";
// Step `discover`: reads the cluster's OIDC issuer, the database, the roles, the OIDC provider and the bucket,
// and hands later steps flat facts (see DiscoverOutput).
import type { EnvironmentSettings } from "../config/environment";
import { discoverEnvironment } from "./discover-environment";
import type { DiscoverOutput } from "./outputs";
import type { Observed, PlannedChange, Step } from "./types";

export { discoverEnvironment };

/** The read-only calls discovery makes, as IAM actions (also what verify needs). */
export const DISCOVERY_IAM_ACTIONS = [
  "sts:GetCallerIdentity",
  "eks:DescribeCluster",
  "rds:DescribeDBInstances",
  "rds:DescribeDBClusters",
  "iam:ListOpenIDConnectProviders",
  "iam:GetOpenIDConnectProvider",
  "iam:GetRole",
  "iam:ListRolePolicies",
  "iam:GetRolePolicy",
  "s3:ListBucket",
  "s3:GetBucketLocation",
  "s3:GetBucketVersioning",
  "s3:GetEncryptionConfiguration",
  "s3:GetBucketPublicAccessBlock",
  "s3:GetBucketPolicy",
  "s3:GetBucketTagging",
];

function found(what: string, thing: unknown): string {
  return thing ? `${what}: found` : `${what}: not found`;
}

/** Flat outputs from a discovery, or an error naming what is missing that later steps cannot do without. */
export function discoverOutput(env: EnvironmentSettings, o: Observed): DiscoverOutput {
  if (!o.cluster)
    throw new Error(`EKS cluster ${env.clusterName} not found in ${env.region} (eks:DescribeCluster): check the cluster name and region`);
  if (!o.cluster.oidcIssuer)
    throw new Error(`EKS cluster ${env.clusterName} has no OIDC issuer (eks:DescribeCluster identity.oidc.issuer)`);
  const what = env.dbKind === "instance" ? "RDS DB instance" : "Aurora DB cluster";
  if (!o.database)
    throw new Error(
      `${what} ${env.dbIdentifier} not found in ${env.region} (rds:Describe${env.dbKind === "instance" ? "DBInstances" : "DBClusters"})`,
    );
  if (!o.database.resourceId) throw new Error(`${what} ${env.dbIdentifier} has no resource id in the RDS answer`);
  return {
    accountId: o.identity.accountId,
    callerArn: o.identity.arn,
    partition: o.identity.partition,
    oidcIssuer: o.cluster.oidcIssuer,
    oidcProviderArn: o.oidcProvider?.arn ?? null,
    dbKind: o.database.kind,
    dbEndpoint: o.database.endpoint,
    dbPort: o.database.port,
    dbEngine: o.database.engine,
    dbResourceId: o.database.resourceId,
    dbIamAuthEnabled: o.database.iamAuthEnabled,
    bucketState: o.bucket.state,
  };
}

export const discoverStep: Step = {
  key: "discover",
  title: "Discover the cluster, database, roles and bucket",
  dependsOn: ["identity"],
  iamActions: DISCOVERY_IAM_ACTIONS,

  plan(env, o) {
    const read = (call: string, resource: string, reason: string): PlannedChange => ({
      step: "discover",
      action: "read",
      call,
      resource,
      reason,
    });
    const dbCall = env.dbKind === "instance" ? "rds:DescribeDBInstances" : "rds:DescribeDBClusters";
    return [
      read("eks:DescribeCluster", `EKS cluster ${env.clusterName}`, o.cluster ? `OIDC issuer ${o.cluster.oidcIssuer}` : "not found"),
      read(dbCall, `database ${env.dbIdentifier}`, o.database ? `resource id ${o.database.resourceId}, ${o.database.engine}` : "not found"),
      read("iam:ListOpenIDConnectProviders", "IAM OIDC providers", found("provider for the issuer", o.oidcProvider)),
      read("iam:GetRole", `IAM role ${env.rdsRoleName}`, found("role", o.roles.rds)),
      read("iam:GetRole", `IAM role ${env.s3RoleName}`, found("role", o.roles.s3)),
      read("s3:HeadBucket", `S3 bucket ${env.bucketName}`, `bucket ${o.bucket.state}`),
    ];
  },

  async apply(ctx) {
    const observed = await discoverEnvironment(ctx.env, { signal: ctx.signal });
    const out = discoverOutput(ctx.env, observed);
    await ctx.log("info", `cluster ${ctx.env.clusterName}: OIDC issuer ${out.oidcIssuer}`);
    await ctx.log(
      "info",
      `database ${ctx.env.dbIdentifier}: ${out.dbEngine} at ${out.dbEndpoint}:${out.dbPort}, resource id ${out.dbResourceId}, ` +
        `IAM authentication ${out.dbIamAuthEnabled ? "on" : "off"}`,
    );
    await ctx.log("info", `OIDC provider: ${out.oidcProviderArn ?? "none yet"}; bucket ${ctx.env.bucketName}: ${out.bucketState}`);
    if (out.bucketState === "foreign" && observed.bucket.state === "foreign") await ctx.log("warn", observed.bucket.detail);
    return out;
  },

  async verify(ctx) {
    const observed = await discoverEnvironment(ctx.env, { signal: ctx.signal });
    return [
      { name: `EKS cluster ${ctx.env.clusterName}`, ok: !!observed.cluster?.oidcIssuer, detail: observed.cluster?.oidcIssuer ?? "not found" },
      {
        name: `database ${ctx.env.dbIdentifier}`,
        ok: !!observed.database,
        detail: observed.database ? `${observed.database.engine}, ${observed.database.status}` : "not found",
      },
    ];
  },
};
