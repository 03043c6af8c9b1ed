// RDS answers: instances and Aurora clusters (with their member instances), the IAM-auth switch that takes a
// few describes to come on after ApplyImmediately (as RDS does), and changes made without ApplyImmediately
// that wait in PendingModifiedValues for the maintenance window (`applyPending`, the test's hook).
import type {
  DBCluster,
  DBInstance,
  DescribeDBClustersCommandInput,
  DescribeDBClustersCommandOutput,
  DescribeDBInstancesCommandInput,
  DescribeDBInstancesCommandOutput,
  ModifyDBClusterCommandInput,
  ModifyDBClusterCommandOutput,
  ModifyDBInstanceCommandInput,
  ModifyDBInstanceCommandOutput,
} from "@aws-sdk/client-rds";
import type { Answer, CallContext, Handlers } from "./context";
import { regional, type FakeDatabase, type RegionState } from "./state";

function instanceView(cx: CallContext, r: RegionState, db: FakeDatabase): DBInstance {
  const cluster = db.clusterId ? r.dbClusters[db.clusterId] : undefined;
  return {
    DBInstanceIdentifier: db.id,
    DBInstanceArn: `arn:${cx.partition}:rds:${cx.region}:${cx.accountId}:db:${db.id}`,
    DBInstanceClass: db.instanceClass ?? "db.t4g.medium",
    Engine: db.engine,
    EngineVersion: db.engineVersion,
    DBInstanceStatus: db.status,
    MasterUsername: db.masterUsername ?? "postgres",
    ...(db.dbName ? { DBName: db.dbName } : {}),
    Endpoint: { Address: db.endpoint, Port: db.port, HostedZoneId: "Z29XKXDKYMONMX" },
    DbInstancePort: 0,
    DbiResourceId: db.resourceId,
    // A member reports its cluster's switch: IAM authentication is set on the cluster.
    IAMDatabaseAuthenticationEnabled: cluster ? cluster.iamAuth : db.iamAuth,
    PendingModifiedValues: { ...db.pending },
    PreferredMaintenanceWindow: db.maintenanceWindow,
    ...(db.clusterId ? { DBClusterIdentifier: db.clusterId } : {}),
    MultiAZ: false,
    StorageEncrypted: true,
  };
}

function clusterView(cx: CallContext, r: RegionState, db: FakeDatabase): DBCluster {
  const members = Object.values(r.instances).filter((i) => i.clusterId === db.id);
  return {
    DBClusterIdentifier: db.id,
    DBClusterArn: `arn:${cx.partition}:rds:${cx.region}:${cx.accountId}:cluster:${db.id}`,
    Engine: db.engine,
    EngineVersion: db.engineVersion,
    Status: db.status,
    Endpoint: db.endpoint,
    ReaderEndpoint: db.endpoint.replace(".cluster-", ".cluster-ro-"),
    Port: db.port,
    MasterUsername: db.masterUsername ?? "postgres",
    ...(db.dbName ? { DatabaseName: db.dbName } : {}),
    PreferredMaintenanceWindow: db.maintenanceWindow,
    DbClusterResourceId: db.resourceId,
    IAMDatabaseAuthenticationEnabled: db.iamAuth,
    // Clusters leave the field out when nothing is pending.
    ...(Object.keys(db.pending).length ? { PendingModifiedValues: { ...db.pending } } : {}),
    DBClusterMembers: members.map((m, i) => ({ DBInstanceIdentifier: m.id, IsClusterWriter: i === 0, DBClusterParameterGroupStatus: "in-sync", PromotionTier: 1 })),
    StorageEncrypted: true,
  };
}

/** Puts the pending values into effect (the end of a modification, or the maintenance window). */
export function applyPending(db: FakeDatabase) {
  const p = db.pending;
  if (typeof p.IAMDatabaseAuthenticationEnabled === "boolean") db.iamAuth = p.IAMDatabaseAuthenticationEnabled;
  if (typeof p.DBInstanceClass === "string") db.instanceClass = p.DBInstanceClass;
  if (typeof p.EngineVersion === "string") db.engineVersion = p.EngineVersion;
  if (typeof p.Port === "number") db.port = p.Port;
  db.pending = {};
}

/** A describe lets a modification in progress advance one read; the last one puts it into effect. */
function advance(db: FakeDatabase) {
  if (db.status === "modifying" && !db.stuck && --db.pollsUntilApplied <= 0) {
    db.status = "available";
    applyPending(db);
  }
}

/** The Describe filters the fake knows, by name. */
const FILTERS: Record<string, (db: FakeDatabase) => string | undefined> = {
  "db-cluster-id": (db) => db.clusterId ?? (db.kind === "cluster" ? db.id : undefined),
  "db-instance-id": (db) => (db.kind === "instance" ? db.id : undefined),
  engine: (db) => db.engine,
};

function describe(
  table: Record<string, FakeDatabase>,
  id: string | undefined,
  filters: { Name?: string; Values?: string[] }[] | undefined,
  notFound: () => Error,
  badFilter: (name: string | undefined) => Error,
) {
  let dbs = id === undefined ? Object.values(table) : table[id] ? [table[id]] : [];
  if (id !== undefined && !dbs.length) throw notFound();
  for (const f of filters ?? []) {
    const field = FILTERS[f.Name ?? ""];
    if (!field) throw badFilter(f.Name);
    const values = new Set(f.Values ?? []);
    dbs = dbs.filter((d) => values.has(field(d) ?? ""));
  }
  for (const db of dbs) advance(db);
  return dbs;
}

/** The changes a Modify call asks for that differ from what the database has (or has pending). */
function requested(db: FakeDatabase, input: ModifyDBInstanceCommandInput | ModifyDBClusterCommandInput): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  const want = input.EnableIAMDatabaseAuthentication;
  if (typeof want === "boolean" && (want !== db.iamAuth || db.pending.IAMDatabaseAuthenticationEnabled !== undefined))
    changes.IAMDatabaseAuthenticationEnabled = want;
  if ("DBInstanceClass" in input && input.DBInstanceClass && input.DBInstanceClass !== db.instanceClass) changes.DBInstanceClass = input.DBInstanceClass;
  if (input.EngineVersion && input.EngineVersion !== db.engineVersion) changes.EngineVersion = input.EngineVersion;
  if (input.MasterUserPassword) changes.MasterUserPassword = "****";
  return changes;
}

function modify(cx: CallContext, db: FakeDatabase, input: ModifyDBInstanceCommandInput | ModifyDBClusterCommandInput) {
  if (input.PreferredMaintenanceWindow) db.maintenanceWindow = input.PreferredMaintenanceWindow;
  const changes = requested(db, input);
  // Asking for what is already there drops a pending change back to it.
  if (changes.IAMDatabaseAuthenticationEnabled === db.iamAuth) {
    delete changes.IAMDatabaseAuthenticationEnabled;
    delete db.pending.IAMDatabaseAuthenticationEnabled;
  }
  if (!input.ApplyImmediately) {
    // Waits for the maintenance window, which only the test's hook brings.
    db.pending = { ...db.pending, ...changes };
    return;
  }
  if (!Object.keys(changes).length && !Object.keys(db.pending).length) return;
  if (db.status !== "available")
    throw db.kind === "instance"
      ? cx.error("InvalidDBInstanceState", "Database instance is not in available state.")
      : cx.error("InvalidDBClusterStateFault", `DBCluster ${db.id} is not in a valid state.`);
  // ApplyImmediately applies everything pending too; RDS shows the changes as pending while it works.
  db.pending = { ...db.pending, ...changes };
  db.status = "modifying";
  if (db.pollsUntilApplied <= 0) db.pollsUntilApplied = 2;
}

const unknownFilter = (cx: CallContext) => (name: string | undefined) => cx.error("InvalidParameterValue", `Unrecognized filter name: ${name}.`);

export const rdsHandlers: Handlers = {
  DescribeDBInstances: (input: DescribeDBInstancesCommandInput, cx: CallContext): Answer<DescribeDBInstancesCommandOutput> => {
    const r = regional(cx.state, cx.region);
    const id = input.DBInstanceIdentifier;
    const notFound = () => cx.error("DBInstanceNotFound", `DBInstance ${id} not found.`);
    return { DBInstances: describe(r.instances, id, input.Filters, notFound, unknownFilter(cx)).map((db) => instanceView(cx, r, db)) };
  },

  DescribeDBClusters: (input: DescribeDBClustersCommandInput, cx: CallContext): Answer<DescribeDBClustersCommandOutput> => {
    const r = regional(cx.state, cx.region);
    const id = input.DBClusterIdentifier;
    const notFound = () => cx.error("DBClusterNotFoundFault", `DBCluster ${id} not found.`);
    return { DBClusters: describe(r.dbClusters, id, input.Filters, notFound, unknownFilter(cx)).map((db) => clusterView(cx, r, db)) };
  },

  ModifyDBInstance: (input: ModifyDBInstanceCommandInput, cx: CallContext): Answer<ModifyDBInstanceCommandOutput> => {
    const r = regional(cx.state, cx.region);
    const db = input.DBInstanceIdentifier ? r.instances[input.DBInstanceIdentifier] : undefined;
    if (!db) throw cx.error("DBInstanceNotFound", `DBInstance ${input.DBInstanceIdentifier} not found.`);
    if (db.clusterId && input.EnableIAMDatabaseAuthentication !== undefined)
      throw cx.error(
        "InvalidParameterCombination",
        "The requested DB Instance will be a member of a DB Cluster. Set database authentication for the DB Cluster.",
      );
    modify(cx, db, input);
    return { DBInstance: instanceView(cx, r, db) };
  },

  ModifyDBCluster: (input: ModifyDBClusterCommandInput, cx: CallContext): Answer<ModifyDBClusterCommandOutput> => {
    const r = regional(cx.state, cx.region);
    const db = input.DBClusterIdentifier ? r.dbClusters[input.DBClusterIdentifier] : undefined;
    if (!db) throw cx.error("DBClusterNotFoundFault", `DBCluster ${input.DBClusterIdentifier} not found.`);
    modify(cx, db, input);
    return { DBCluster: clusterView(cx, r, db) };
  },
};
