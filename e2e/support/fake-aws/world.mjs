// The fake AWS account's state, as plain JSON so it can be saved to a file and survive a server restart (the
// browser tests kill the console mid-run; real AWS would not forget what was created before the crash).
// EKS and RDS are regional and made lazily per region asked for; IAM and S3 bucket names are global.

export const ACCOUNT_ID = "111122223333";
/** The account that owns `someone-elses-bucket`. */
export const FOREIGN_ACCOUNT_ID = "444455556666";
export const FOREIGN_BUCKET = "someone-elses-bucket";
export const DEFAULT_REGION = "eu-west-1";
export const OIDC_ID = "0123456789ABCDEF0123456789ABCDEF";

/** @param {string} region */
export function partitionOf(region) {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** @param {string} region */
export function callerArnFor(region) {
  return `arn:${partitionOf(region)}:iam::${ACCOUNT_ID}:user/platform-admin`;
}

/** @param {string} region */
function dnsSuffix(region) {
  return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

/**
 * @typedef {{ id: string, engine: string, engineVersion: string, status: string, address: string, port: number,
 *   resourceId: string, iamAuth: boolean, clusterId?: string, pending: Record<string, unknown>,
 *   modify: null | { iamAuth: boolean, describesLeft: number } }} FakeDb
 * @typedef {{ clusters: Record<string, { name: string, issuer: string, version: string, createdAt: string }>,
 *   instances: Record<string, FakeDb>, dbClusters: Record<string, FakeDb> }} Region
 * @typedef {{ arn: string, url: string, clientIds: string[], thumbprints: string[], tags: Record<string, string>, createdAt: string }} Provider
 * @typedef {{ name: string, id: string, arn: string, trust: string, description?: string,
 *   policies: Record<string, string>, tags: Record<string, string>, createdAt: string }} Role
 * @typedef {{ owner: string, region: string, createdAt: string, versioning: string | null, encryption: string | null,
 *   publicAccessBlock: Record<string, boolean> | null, policy: string | null, tags: Record<string, string> | null }} Bucket
 * @typedef {{ regions: Record<string, Region>, oidcProviders: Record<string, Provider>, roles: Record<string, Role>,
 *   buckets: Record<string, Bucket> }} World
 */

const EPOCH = "2024-05-01T09:00:00.000Z";

/** @returns {World} */
export function initialWorld() {
  return {
    regions: {},
    oidcProviders: {},
    roles: {},
    buckets: {
      // Bucket names are global: this one is taken by another account, so HeadBucket answers 403.
      [FOREIGN_BUCKET]: newBucket(FOREIGN_ACCOUNT_ID, "us-east-1", EPOCH),
    },
  };
}

/** A bucket as S3 creates it since 2023: SSE-S3 (AES256) by default and all four public-access blocks on. */
export function newBucket(owner, region, createdAt = new Date().toISOString()) {
  return {
    owner,
    region,
    createdAt,
    versioning: null,
    encryption: "AES256",
    publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    policy: null,
    tags: null,
  };
}

/** @param {World} world @param {string} region @returns {Region} */
export function regional(world, region) {
  world.regions[region] ??= initialRegion(region);
  return world.regions[region];
}

/** @param {string} region @returns {Region} */
function initialRegion(region) {
  const rds = `abc123xyz.${region}.rds.${dnsSuffix(region)}`;
  /** @param {Partial<FakeDb> & { id: string }} d @returns {FakeDb} */
  const db = (d) => ({
    engine: "postgres",
    engineVersion: "16.4",
    status: "available",
    address: `${d.id}.${rds}`,
    port: 5432,
    resourceId: "",
    iamAuth: false,
    pending: {},
    modify: null,
    ...d,
  });
  return {
    clusters: {
      "studio-eks": {
        name: "studio-eks",
        issuer: `https://oidc.eks.${region}.${dnsSuffix(region)}/id/${OIDC_ID}`,
        version: "1.31",
        createdAt: EPOCH,
      },
    },
    instances: {
      "studio-db": db({ id: "studio-db", resourceId: "db-ABCDEFGHIJKLMNOPQRSTUVWXY0" }),
      // The Aurora cluster's writer: listed by DescribeDBInstances, but IAM auth belongs to the cluster.
      "studio-aurora-instance-1": db({
        id: "studio-aurora-instance-1",
        engine: "aurora-postgresql",
        resourceId: "db-ABCDEFGHIJKLMNOPQRSTUVWXY2",
        clusterId: "studio-aurora",
      }),
    },
    dbClusters: {
      "studio-aurora": db({
        id: "studio-aurora",
        engine: "aurora-postgresql",
        address: `studio-aurora.cluster-${rds}`,
        resourceId: "cluster-ABCDEFGHIJKLMNOPQRSTUVWXY1",
      }),
    },
  };
}

/**
 * What a Describe call sees of a database being modified: `modifying` with the old flag for the next
 * `describesLeft` reads, then the new flag and `available` (so the console's progress has something to show).
 * @param {FakeDb} db
 */
export function advanceModification(db) {
  if (!db.modify) return;
  if (db.modify.describesLeft > 0) {
    db.modify.describesLeft--;
    return;
  }
  db.iamAuth = db.modify.iamAuth;
  db.status = "available";
  db.modify = null;
}
