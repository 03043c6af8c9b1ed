import "server-only";
// The RDS instance or Aurora cluster: endpoint, resource id (for rds-db:connect), the IAM-auth flag, and the
// pending modifications that ApplyImmediately would also apply.
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  type DBCluster,
  type DBInstance,
} from "@aws-sdk/client-rds";
import { awsCall, awsFind, type AwsCallContext } from "./call";
import type { AwsClients } from "./clients";

export interface ObservedDatabase {
  kind: "instance" | "cluster";
  identifier: string;
  engine: string;
  endpoint: string;
  port: number;
  /** `db-…` (DbiResourceId) or `cluster-…` (DbClusterResourceId): the rds-db:connect resource needs it. */
  resourceId: string;
  iamAuthEnabled: boolean;
  status: string;
  /** Names of pending modifications that ApplyImmediately would also apply. */
  pendingModifications: string[];
  /** The master user RDS reports: never made the IAM user; owner membership of it hands over master powers. */
  masterUsername: string | null;
  /** `ddd:hh24:mi-ddd:hh24:mi` (UTC): when changes not applied immediately are made. */
  maintenanceWindow: string | null;
  /** An instance that is a member of an Aurora cluster: the cluster's identifier. */
  clusterId: string | null;
}

/** Names of pending modifications with a value (only names: a pending MasterUserPassword must not leak). */
export function pendingModificationNames(pending: object | undefined): string[] {
  if (!pending) return [];
  return Object.entries(pending)
    .filter(([, v]) => {
      if (v === undefined || v === null) return false;
      if (Array.isArray(v)) return v.length > 0;
      if (typeof v === "object") return Object.values(v).some((x) => x !== undefined && !(Array.isArray(x) && !x.length));
      return true;
    })
    .map(([k]) => k)
    .sort();
}

export function fromInstance(db: DBInstance): ObservedDatabase {
  return {
    kind: "instance",
    identifier: db.DBInstanceIdentifier ?? "",
    engine: db.Engine ?? "",
    endpoint: db.Endpoint?.Address ?? "",
    port: db.Endpoint?.Port ?? db.DbInstancePort ?? 5432,
    resourceId: db.DbiResourceId ?? "",
    iamAuthEnabled: db.IAMDatabaseAuthenticationEnabled === true,
    status: db.DBInstanceStatus ?? "unknown",
    pendingModifications: pendingModificationNames(db.PendingModifiedValues),
    masterUsername: db.MasterUsername ?? null,
    maintenanceWindow: db.PreferredMaintenanceWindow ?? null,
    clusterId: db.DBClusterIdentifier ?? null,
  };
}

export function fromCluster(db: DBCluster): ObservedDatabase {
  return {
    kind: "cluster",
    identifier: db.DBClusterIdentifier ?? "",
    engine: db.Engine ?? "",
    endpoint: db.Endpoint ?? "",
    port: db.Port ?? 5432,
    resourceId: db.DbClusterResourceId ?? "",
    iamAuthEnabled: db.IAMDatabaseAuthenticationEnabled === true,
    status: db.Status ?? "unknown",
    pendingModifications: pendingModificationNames(db.PendingModifiedValues),
    masterUsername: db.MasterUsername ?? null,
    maintenanceWindow: db.PreferredMaintenanceWindow ?? null,
    clusterId: null,
  };
}

export async function readDatabase(
  c: AwsClients,
  cx: AwsCallContext,
  kind: "instance" | "cluster",
  identifier: string,
): Promise<ObservedDatabase | null> {
  if (kind === "instance") {
    const res = await awsFind(cx, "rds:DescribeDBInstances", (o) =>
      c.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }), o),
    );
    const db = res?.DBInstances?.[0];
    return db ? fromInstance(db) : null;
  }
  const res = await awsFind(cx, "rds:DescribeDBClusters", (o) =>
    c.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }), o),
  );
  const db = res?.DBClusters?.[0];
  return db ? fromCluster(db) : null;
}

/**
 * Turns IAM database authentication on (or, with `enabled` false, off: a teardown's explicit choice): now with
 * ApplyImmediately (which also applies every pending modification), or at the next maintenance window.
 */
export async function enableIamAuth(
  c: AwsClients,
  cx: AwsCallContext,
  kind: "instance" | "cluster",
  identifier: string,
  applyImmediately = true,
  enabled = true,
): Promise<{ requestId?: string }> {
  const res =
    kind === "instance"
      ? await awsCall(cx, "rds:ModifyDBInstance", (o) =>
          c.rds.send(
            new ModifyDBInstanceCommand({
              DBInstanceIdentifier: identifier,
              EnableIAMDatabaseAuthentication: enabled,
              ApplyImmediately: applyImmediately,
            }),
            o,
          ),
        )
      : await awsCall(cx, "rds:ModifyDBCluster", (o) =>
          c.rds.send(
            new ModifyDBClusterCommand({
              DBClusterIdentifier: identifier,
              EnableIAMDatabaseAuthentication: enabled,
              ApplyImmediately: applyImmediately,
            }),
            o,
          ),
        );
  return { requestId: res.$metadata.requestId };
}
