import "server-only";
// Step `discover`: the EKS cluster (its OIDC issuer, its ARN) and the RDS instance or Aurora cluster (endpoint,
// resource id, IAM-auth flag, pending modifications). Changes nothing; later steps build their documents from it.
import { readCluster, type ObservedCluster } from "../aws/eks";
import { readDatabase, type ObservedDatabase } from "../aws/rds";
import type { EnvironmentSettings } from "../config/environment";
import { scopes } from "../policies/scopes";
import { factsOf, type Facts, type Step } from "./types";

export interface DiscoverFacts {
  cluster: ObservedCluster | null;
  database: ObservedDatabase | null;
}

export const dbLabel = (s: Pick<EnvironmentSettings, "dbKind" | "dbIdentifier">) =>
  `${s.dbKind === "instance" ? "RDS DB instance" : "Aurora DB cluster"} ${s.dbIdentifier}`;

const describeCall = (s: Pick<EnvironmentSettings, "dbKind">) =>
  s.dbKind === "instance" ? "rds:DescribeDBInstances" : "rds:DescribeDBClusters";

/** The cluster and database reads, shared with the steps that need them again (one read per observation). */
export const readClusterOnce = (ctx: Parameters<Step["observe"]>[0]) =>
  ctx.read(`eks:DescribeCluster:${ctx.settings.clusterName}`, () => readCluster(ctx.aws, ctx.cx, ctx.settings.clusterName));
export const readDatabaseOnce = (ctx: Parameters<Step["observe"]>[0]) =>
  ctx.read(`${describeCall(ctx.settings)}:${ctx.settings.dbIdentifier}`, () =>
    readDatabase(ctx.aws, ctx.cx, ctx.settings.dbKind, ctx.settings.dbIdentifier),
  );

export const discoverStep: Step<DiscoverFacts> = {
  key: "discover",
  title: "Discover the cluster and the database",
  dependsOn: ["identity"],
  permissions: [
    { actions: ["eks:DescribeCluster"], resources: scopes.cluster },
    { actions: ["rds:DescribeDBInstances", "rds:DescribeDBClusters"], resources: scopes.database },
  ],

  async observe(ctx) {
    const [cluster, database] = await Promise.all([readClusterOnce(ctx), readDatabaseOnce(ctx)]);
    return { cluster, database };
  },

  changes: () => [],

  reads: (s) => [
    {
      call: "eks:DescribeCluster",
      resource: `EKS cluster ${s.clusterName}`,
      cli: (w) => w.command("aws", "eks", "describe-cluster", "--name", s.clusterName, "--query", "cluster.identity.oidc.issuer", "--output", "text"),
    },
    {
      call: describeCall(s),
      resource: dbLabel(s),
      cli: (w) =>
        s.dbKind === "instance"
          ? w.command("aws", "rds", "describe-db-instances", "--db-instance-identifier", s.dbIdentifier, "--query",
              "DBInstances[0].[DbiResourceId,IAMDatabaseAuthenticationEnabled,DBInstanceStatus]", "--output", "text")
          : w.command("aws", "rds", "describe-db-clusters", "--db-cluster-identifier", s.dbIdentifier, "--query",
              "DBClusters[0].[DbClusterResourceId,IAMDatabaseAuthenticationEnabled,Status]", "--output", "text"),
    },
  ],

  blockers(facts, s) {
    const { cluster, database } = discoverFacts(facts);
    const out: string[] = [];
    if (!cluster) out.push(`EKS cluster ${s.clusterName} not found in ${s.region} (eks:DescribeCluster): check the cluster name and region`);
    else if (!cluster.oidcIssuer) out.push(`EKS cluster ${s.clusterName} has no OIDC issuer (eks:DescribeCluster identity.oidc.issuer)`);
    if (!database) out.push(`${dbLabel(s)} not found in ${s.region} (${describeCall(s)})`);
    else if (!database.resourceId) out.push(`${dbLabel(s)} has no resource id in the RDS answer`);
    return out;
  },

  describe({ cluster, database }, s) {
    return [
      cluster ? `cluster ${s.clusterName}: OIDC issuer ${cluster.oidcIssuer || "none"}` : `cluster ${s.clusterName}: not found`,
      database
        ? `database ${s.dbIdentifier}: ${database.engine} at ${database.endpoint}:${database.port}, resource id ${database.resourceId}, ` +
          `IAM authentication ${database.iamAuthEnabled ? "on" : "off"}`
        : `database ${s.dbIdentifier}: not found`,
    ];
  },
};

export const discoverFacts = (facts: Facts): DiscoverFacts => factsOf(facts, discoverStep) ?? { cluster: null, database: null };
