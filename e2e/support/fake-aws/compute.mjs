// STS, EKS and RDS answers: who the caller is, the cluster's OIDC issuer, and the databases with the IAM-auth
// switch that takes a few reads to come on (as RDS does).
import { ACCOUNT_ID, advanceModification, regional } from "./world.mjs";

/**
 * @typedef {import("./double.mjs").CallContext} CallContext
 * @typedef {import("./world.mjs").FakeDb} FakeDb
 * @typedef {(input: any, cx: CallContext) => object} Handler
 */

/** @returns {Record<string, Handler>} */
export function stsHandlers() {
  return {
    GetCallerIdentity: (_input, cx) => ({ UserId: "AIDAEXAMPLEPLATFORMADMIN", Account: ACCOUNT_ID, Arn: cx.callerArn }),
  };
}

/** @returns {Record<string, Handler>} */
export function eksHandlers() {
  return {
    ListClusters: (_input, cx) => ({ clusters: Object.keys(regional(cx.world, cx.region).clusters).sort() }),
    DescribeCluster: ({ name }, cx) => {
      const c = regional(cx.world, cx.region).clusters[name];
      if (!c) throw cx.error("ResourceNotFoundException", `No cluster found for name: ${name}.`);
      return {
        cluster: {
          name: c.name,
          arn: `arn:${cx.partition}:eks:${cx.region}:${ACCOUNT_ID}:cluster/${c.name}`,
          createdAt: new Date(c.createdAt),
          version: c.version,
          endpoint: `https://${c.issuer.split("/id/")[1]}.gr7.${cx.region}.eks.amazonaws.com`,
          identity: { oidc: { issuer: c.issuer } },
          status: "ACTIVE",
          platformVersion: "eks.12",
          tags: {},
        },
      };
    },
  };
}

/** @param {FakeDb} db @param {CallContext} cx */
function instanceView(db, cx) {
  return {
    DBInstanceIdentifier: db.id,
    DBInstanceArn: `arn:${cx.partition}:rds:${cx.region}:${ACCOUNT_ID}:db:${db.id}`,
    DBInstanceClass: "db.t4g.medium",
    Engine: db.engine,
    EngineVersion: db.engineVersion,
    DBInstanceStatus: db.status,
    MasterUsername: "postgres",
    Endpoint: { Address: db.address, Port: db.port, HostedZoneId: "Z29XKXDKYMONMX" },
    DbInstancePort: 0,
    DbiResourceId: db.resourceId,
    IAMDatabaseAuthenticationEnabled: db.iamAuth,
    PendingModifiedValues: { ...db.pending },
    ...(db.clusterId ? { DBClusterIdentifier: db.clusterId } : {}),
    MultiAZ: false,
    StorageEncrypted: true,
  };
}

/** @param {FakeDb} db @param {CallContext} cx */
function clusterView(db, cx) {
  const members = Object.values(regional(cx.world, cx.region).instances).filter((i) => i.clusterId === db.id);
  return {
    DBClusterIdentifier: db.id,
    DBClusterArn: `arn:${cx.partition}:rds:${cx.region}:${ACCOUNT_ID}:cluster:${db.id}`,
    Engine: db.engine,
    EngineVersion: db.engineVersion,
    Status: db.status,
    Endpoint: db.address,
    ReaderEndpoint: db.address.replace(".cluster-", ".cluster-ro-"),
    Port: db.port,
    MasterUsername: "postgres",
    DbClusterResourceId: db.resourceId,
    IAMDatabaseAuthenticationEnabled: db.iamAuth,
    ...(Object.keys(db.pending).length ? { PendingModifiedValues: { ...db.pending } } : {}),
    DBClusterMembers: members.map((m) => ({ DBInstanceIdentifier: m.id, IsClusterWriter: true })),
    StorageEncrypted: true,
  };
}

/**
 * Describe one database (or all), letting any modification in progress advance one read.
 * @param {Record<string, FakeDb>} table @param {string | undefined} id @param {() => Error} notFound
 */
function describe(table, id, notFound) {
  const dbs = id === undefined ? Object.values(table) : table[id] ? [table[id]] : [];
  if (id !== undefined && !dbs.length) throw notFound();
  for (const db of dbs) advanceModification(db);
  return dbs;
}

/** @param {FakeDb} db @param {any} input */
function modify(db, input) {
  const want = input.EnableIAMDatabaseAuthentication;
  if (typeof want !== "boolean") return;
  if (!input.ApplyImmediately) {
    // Waits for the maintenance window, which never comes in a test run.
    db.pending = { ...db.pending, IAMDatabaseAuthenticationEnabled: want };
    return;
  }
  const target = db.modify ? db.modify.iamAuth : db.iamAuth;
  if (target === want) return;
  db.status = "modifying";
  db.modify = { iamAuth: want, describesLeft: 2 };
}

/** @returns {Record<string, Handler>} */
export function rdsHandlers() {
  const instanceNotFound = (cx, id) => () => cx.error("DBInstanceNotFound", `DBInstance ${id} not found.`);
  const clusterNotFound = (cx, id) => () => cx.error("DBClusterNotFoundFault", `DBCluster ${id} not found.`);
  return {
    DescribeDBInstances: ({ DBInstanceIdentifier: id }, cx) => ({
      DBInstances: describe(regional(cx.world, cx.region).instances, id, instanceNotFound(cx, id)).map((db) => instanceView(db, cx)),
    }),
    DescribeDBClusters: ({ DBClusterIdentifier: id }, cx) => ({
      DBClusters: describe(regional(cx.world, cx.region).dbClusters, id, clusterNotFound(cx, id)).map((db) => clusterView(db, cx)),
    }),
    ModifyDBInstance: (input, cx) => {
      const id = input.DBInstanceIdentifier;
      const db = regional(cx.world, cx.region).instances[id];
      if (!db) throw instanceNotFound(cx, id)();
      if (db.clusterId && input.EnableIAMDatabaseAuthentication !== undefined)
        throw cx.error(
          "InvalidParameterCombination",
          "The requested DB Instance will be a member of a DB Cluster. Set database authentication for the DB Cluster.",
        );
      modify(db, input);
      return { DBInstance: instanceView(db, cx) };
    },
    ModifyDBCluster: (input, cx) => {
      const id = input.DBClusterIdentifier;
      const db = regional(cx.world, cx.region).dbClusters[id];
      if (!db) throw clusterNotFound(cx, id)();
      modify(db, input);
      return { DBCluster: clusterView(db, cx) };
    },
  };
}
