// The fake AWS account's state: plain JSON, so the browser-test server can save it to a file after every call
// and find it again after a SIGKILL and restart (real AWS does not forget what was created before a crash).
// EKS, RDS and KMS are regional and made lazily for each region asked about, from the same template; IAM and
// S3 bucket names are global. Unit tests reach into it through the views on FakeAws (`roles`, `db`, …).

export const ACCOUNT_ID = "111122223333";
/** The account that owns FOREIGN_BUCKET: bucket names are global, so this one is taken. */
export const FOREIGN_ACCOUNT_ID = "444455556666";
export const FOREIGN_BUCKET = "someone-elses-bucket";
export const DEFAULT_REGION = "eu-west-1";
export const CLUSTER_NAME = "studio-eks";
export const OIDC_ID = "EXAMPLED539D4633E53DE1B71EXAMPLE";
/** When the seeded things were made (fixed, so answers are the same in every run). */
export const EPOCH = "2024-05-01T09:00:00.000Z";

export interface FakeCluster {
  name: string;
  issuer: string;
  version?: string;
  createdAt?: string;
  /** Add-ons by name (`eks-pod-identity-agent`). */
  addons?: Record<string, FakeAddon>;
  /** Pod identity associations by id (`a-…`). */
  associations?: Record<string, FakeAssociation>;
  /** `API_AND_CONFIG_MAP` when absent; `CONFIG_MAP` clusters take no access entries. */
  authenticationMode?: string;
  /** EKS access entries by principal ARN. */
  accessEntries?: Record<string, FakeAccessEntry>;
}

export interface FakeAccessEntry {
  principalArn: string;
  type: string;
  createdAt: string;
  tags: Record<string, string>;
  policies: { policyArn: string; accessScope: { type: string; namespaces: string[] }; associatedAt: string; modifiedAt: string }[];
}

export interface FakeAddon {
  name: string;
  version: string;
  status: string;
  createdAt: string;
  modifiedAt: string;
  serviceAccountRoleArn?: string;
  configurationValues?: string;
  tags: Record<string, string>;
}

export interface FakeAssociation {
  id: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  createdAt: string;
  modifiedAt: string;
  tags: Record<string, string>;
  disableSessionTags: boolean;
}

export interface FakeDatabase {
  kind: "instance" | "cluster";
  id: string;
  engine: string;
  engineVersion?: string;
  endpoint: string;
  port: number;
  resourceId: string;
  iamAuth: boolean;
  status: string;
  /** PendingModifiedValues as RDS shows them (`DBInstanceClass`, `IAMDatabaseAuthenticationEnabled`, …). */
  pending: Record<string, unknown>;
  /** Describe calls after a modify before RDS reports the change applied. */
  pollsUntilApplied: number;
  /** Never finishes applying (for timeouts). */
  stuck?: boolean;
  /** An instance that is a member of this Aurora cluster. */
  clusterId?: string;
  instanceClass?: string;
  masterUsername?: string;
  /** The database created with the instance (RDS `DBName`, Aurora `DatabaseName`); absent when none was. */
  dbName?: string;
  /** `ddd:hh24:mi-ddd:hh24:mi` in UTC, as RDS writes it. */
  maintenanceWindow?: string;
}

export interface FakeProvider {
  /** As created (`https://oidc.eks…`); IAM answers it without the scheme. */
  url: string;
  clientIds: string[];
  thumbprints?: string[];
  tags: Record<string, string>;
  createdAt?: string;
}

/** A role as stored: documents URL-encoded, as IAM hands them back. */
export interface RoleRecord {
  arn: string;
  trust: string;
  policies: Record<string, string>;
  tags: Record<string, string>;
  path?: string;
  id?: string;
  description?: string;
  createdAt?: string;
  /** ARNs of attached managed policies, in attach order. */
  attached?: string[];
  /** ARN of the permissions boundary policy. */
  boundary?: string;
  lastUsed?: { date: string; region: string };
}

/** A customer managed policy; AWS managed ones are built in (managed-policies.ts). */
export interface ManagedPolicyRecord {
  name: string;
  path: string;
  id: string;
  description?: string;
  createdAt: string;
  defaultVersion: string;
  /** Version id (`v1`) → the document text as put. */
  versions: Record<string, { document: string; createdAt: string }>;
  tags: Record<string, string>;
}

export interface FakeObject {
  size: number;
  lastModified: string;
  versionId?: string;
}

export interface FakeBucket {
  owner: string;
  region: string;
  createdAt?: string;
  versioning?: "Enabled" | "Suspended";
  /** Default encryption algorithm: `AES256`, `aws:kms`, `aws:kms:dsse`. */
  encryption?: string;
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
  publicAccessBlock?: Record<string, boolean>;
  policy?: string;
  tags?: Record<string, string>;
  /** Lifecycle rules as put (dates as ISO strings). */
  lifecycle?: unknown[];
  /** Current objects by key. */
  objects?: Record<string, FakeObject>;
  /** Noncurrent versions and delete markers left behind in a versioned bucket. */
  oldVersions?: { key: string; versionId: string; size: number; lastModified: string; deleteMarker?: boolean }[];
}

export interface FakeKmsKey {
  id: string;
  description: string;
  manager: "CUSTOMER" | "AWS";
  state: "Enabled" | "Disabled" | "PendingDeletion";
  createdAt: string;
  /** The key policy document text (`default`). */
  policy: string;
}

export interface RegionState {
  clusters: Record<string, FakeCluster>;
  instances: Record<string, FakeDatabase>;
  dbClusters: Record<string, FakeDatabase>;
  kmsKeys: Record<string, FakeKmsKey>;
  /** `alias/name` → key id. */
  kmsAliases: Record<string, string>;
}

/** How an account is made: the unit tests' options, kept in the state so a reload rebuilds regions alike. */
export interface AccountOptions {
  region?: string;
  account?: string;
  /** Fixed partition; by default the one of the region each call goes to. */
  partition?: string;
  /** Which database `FakeAws.db` is (every region also has studio-db and the Aurora cluster studio-aurora). */
  dbKind?: "instance" | "cluster";
  dbId?: string;
}

export interface AccountState {
  accountId: string;
  partition: string | null;
  homeRegion: string;
  primaryDb: { kind: "instance" | "cluster"; id: string };
  /** Request ids are `req-<seq>`. */
  seq: number;
  regions: Record<string, RegionState>;
  oidcProviders: Record<string, FakeProvider>;
  roles: Record<string, RoleRecord>;
  managedPolicies: Record<string, ManagedPolicyRecord>;
  buckets: Record<string, FakeBucket>;
}

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  return "aws";
}

export function dnsSuffix(region: string): string {
  return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

export function initialAccount(opts: AccountOptions = {}): AccountState {
  const homeRegion = opts.region ?? DEFAULT_REGION;
  const kind = opts.dbKind ?? "instance";
  const state: AccountState = {
    accountId: opts.account ?? ACCOUNT_ID,
    partition: opts.partition ?? null,
    homeRegion,
    primaryDb: { kind, id: opts.dbId ?? (kind === "instance" ? "studio-db" : "studio-aurora") },
    seq: 0,
    regions: {},
    oidcProviders: {},
    roles: {},
    managedPolicies: {},
    buckets: { [FOREIGN_BUCKET]: { owner: FOREIGN_ACCOUNT_ID, region: "us-east-1", createdAt: EPOCH, encryption: "AES256" } },
  };
  regional(state, homeRegion);
  return state;
}

/** The region's state, made from the template on first use. */
export function regional(state: AccountState, region: string): RegionState {
  state.regions[region] ??= initialRegion(state, region);
  return state.regions[region];
}

function initialRegion(state: AccountState, region: string): RegionState {
  const host = `abc123.${region}.rds.${dnsSuffix(region)}`;
  const db = (d: Partial<FakeDatabase> & Pick<FakeDatabase, "kind" | "id" | "resourceId">): FakeDatabase => ({
    engine: d.kind === "instance" ? "postgres" : "aurora-postgresql",
    engineVersion: "16.4",
    endpoint: d.kind === "instance" ? `${d.id}.${host}` : `${d.id}.cluster-${host}`,
    port: 5432,
    iamAuth: false,
    status: "available",
    pending: {},
    pollsUntilApplied: 2,
    instanceClass: "db.t4g.medium",
    masterUsername: "postgres",
    dbName: "studio",
    maintenanceWindow: "sun:03:00-sun:03:30",
    ...d,
  });
  const r: RegionState = {
    clusters: { [CLUSTER_NAME]: newCluster(CLUSTER_NAME, `https://oidc.eks.${region}.${dnsSuffix(region)}/id/${OIDC_ID}`) },
    instances: {
      "studio-db": db({ kind: "instance", id: "studio-db", resourceId: "db-ABCDEFGHIJKLMNOPQRSTUVWXY1" }),
      // The Aurora cluster's writer: listed by DescribeDBInstances, but IAM auth belongs to the cluster.
      "studio-aurora-instance-1": db({
        kind: "instance",
        id: "studio-aurora-instance-1",
        engine: "aurora-postgresql",
        resourceId: "db-ABCDEFGHIJKLMNOPQRSTUVWXY2",
        clusterId: "studio-aurora",
        instanceClass: "db.r6g.large",
      }),
    },
    dbClusters: {
      "studio-aurora": db({ kind: "cluster", id: "studio-aurora", resourceId: "cluster-ABCDEFGHIJKLMNOPQRSTUVWX", instanceClass: undefined }),
    },
    kmsKeys: {},
    kmsAliases: {},
  };
  // The unit tests may name their database otherwise: it exists too.
  const { kind, id } = state.primaryDb;
  const table = kind === "instance" ? r.instances : r.dbClusters;
  table[id] ??= db({ kind, id, resourceId: kind === "instance" ? "db-ABCDEFGHIJKLMNOPQRSTUVWXY1" : "cluster-ABCDEFGHIJKLMNOPQRSTUVWX" });
  return r;
}

export function newCluster(name: string, issuer: string): FakeCluster {
  return { name, issuer, version: "1.31", createdAt: EPOCH, addons: {}, associations: {} };
}

/** A bucket as S3 makes it since 2023: SSE-S3 (AES256) by default and all four public-access blocks on. */
export function newBucket(owner: string, region: string, createdAt: string): FakeBucket {
  return {
    owner,
    region,
    createdAt,
    encryption: "AES256",
    bucketKeyEnabled: false,
    publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
  };
}
