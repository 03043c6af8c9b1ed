import "server-only";
// Read-only look-ups for the wizard's pickers: who am I, which clusters, databases and buckets exist.
import { ListClustersCommand } from "@aws-sdk/client-eks";
import { DescribeDBClustersCommand, DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { ListBucketsCommand } from "@aws-sdk/client-s3";
import { awsCall } from "./call";
import { awsClients } from "./clients";
import { readIdentity, type CallerIdentity } from "./sts";

export type { CallerIdentity };

export interface DatabaseChoice {
  kind: "instance" | "cluster";
  id: string;
  engine: string;
  endpoint: string;
  port: number | null;
  iamAuthEnabled: boolean;
  /** The database RDS created with it (DBName / DatabaseName), when one was named at creation. */
  databaseName: string | null;
  /** The master user (MasterUsername): the password user Studio often still uses. */
  masterUsername: string | null;
}

export interface BucketChoice {
  name: string;
  /** The bucket's region when S3 reports it in the listing. */
  region: string | null;
}

export async function callerIdentity(region: string): Promise<CallerIdentity> {
  return readIdentity(awsClients(region), {});
}

export async function listClusters(region: string): Promise<string[]> {
  const { eks } = awsClients(region);
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall({}, "eks:ListClusters", (o) => eks.send(new ListClustersCommand({ nextToken }), o));
    names.push(...(page.clusters ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return names.sort();
}

/** Neptune and DocumentDB share the RDS API but are not databases Studio can use. */
const NOT_RDS = /^(neptune|docdb)/;

/**
 * RDS instances and Aurora clusters. Instances that are members of an Aurora cluster are left out: IAM
 * authentication and the rds-db:connect resource id belong to the cluster.
 */
export async function listDatabases(region: string): Promise<DatabaseChoice[]> {
  const { rds } = awsClients(region);
  const out: DatabaseChoice[] = [];
  let marker: string | undefined;
  do {
    const page = await awsCall({}, "rds:DescribeDBInstances", (o) => rds.send(new DescribeDBInstancesCommand({ Marker: marker }), o));
    for (const db of page.DBInstances ?? [])
      if (!db.DBClusterIdentifier && db.DBInstanceIdentifier && !NOT_RDS.test(db.Engine ?? ""))
        out.push({
          kind: "instance",
          id: db.DBInstanceIdentifier,
          engine: db.Engine ?? "",
          endpoint: db.Endpoint?.Address ?? "",
          port: db.Endpoint?.Port ?? null,
          iamAuthEnabled: db.IAMDatabaseAuthenticationEnabled === true,
          databaseName: db.DBName ?? null,
          masterUsername: db.MasterUsername ?? null,
        });
    marker = page.Marker;
  } while (marker);
  do {
    const page = await awsCall({}, "rds:DescribeDBClusters", (o) => rds.send(new DescribeDBClustersCommand({ Marker: marker }), o));
    for (const db of page.DBClusters ?? [])
      if (db.DBClusterIdentifier && !NOT_RDS.test(db.Engine ?? ""))
        out.push({
          kind: "cluster",
          id: db.DBClusterIdentifier,
          engine: db.Engine ?? "",
          endpoint: db.Endpoint ?? "",
          port: db.Port ?? null,
          iamAuthEnabled: db.IAMDatabaseAuthenticationEnabled === true,
          databaseName: db.DatabaseName ?? null,
          masterUsername: db.MasterUsername ?? null,
        });
    marker = page.Marker;
  } while (marker);
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

export async function listBuckets(region: string): Promise<BucketChoice[]> {
  const { s3 } = awsClients(region);
  const out: BucketChoice[] = [];
  let token: string | undefined;
  do {
    const page = await awsCall({}, "s3:ListAllMyBuckets", (o) => s3.send(new ListBucketsCommand({ ContinuationToken: token }), o));
    for (const b of page.Buckets ?? []) if (b.Name) out.push({ name: b.Name, region: b.BucketRegion ?? null });
    token = page.ContinuationToken;
  } while (token);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
