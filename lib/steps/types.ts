// The Step: the one abstraction the engine hangs on. Each guide step is a module exporting a `Step`;
// lib/steps/index.ts holds the catalogue and the dependency graph, lib/jobs runs them.
import type { EnvironmentSettings } from "../config/environment";
import type { Partition } from "../config/aws-names";

export const STEP_KEYS = [
  "identity",
  "discover",
  "oidc-provider",
  "rds-role",
  "s3-role",
  "s3-bucket",
  "rds-iam-auth",
  "db-grants",
] as const;
export type StepKey = (typeof STEP_KEYS)[number];

/** What a plan says of one resource: `read` is a look-up that changes nothing. */
export type ChangeAction = "create" | "update" | "unchanged" | "read";

export interface PlannedChange {
  step: StepKey;
  action: ChangeAction;
  /** The AWS API (`iam:CreateRole`) or `sql` for a database statement. */
  call: string;
  /** What it acts on, in the guide's words: `IAM role studio-staging-rds-role`. */
  resource: string;
  /** One line on why (e.g. "trust policy differs"). */
  reason?: string;
  /** The exact request document: pretty-printed JSON with stable key order, or SQL. */
  document?: string;
  language?: "json" | "sql" | "shell";
  warnings?: string[];
}

/** What discovery found; `null` where a thing does not exist yet. Plain JSON (stored on the environment). */
export interface Observed {
  identity: { accountId: string; arn: string; partition: Partition };
  cluster: { name: string; oidcIssuer: string; status?: string } | null;
  database: {
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
  } | null;
  oidcProvider: { arn: string; url: string; clientIds: string[] } | null;
  roles: Record<"rds" | "s3", ObservedRole | null>;
  bucket: ObservedBucket;
}

export interface ObservedRole {
  name: string;
  arn: string;
  /** Trust policy as a parsed JSON document. */
  trustPolicy: unknown;
  /** Inline permission policies by name, parsed. */
  inlinePolicies: Record<string, unknown>;
  tags: Record<string, string>;
}

export type ObservedBucket =
  | { state: "missing"; name: string }
  | { state: "foreign"; name: string; detail: string }
  | {
      state: "owned";
      name: string;
      region: string;
      versioning: string | null;
      encryption: string | null;
      publicAccessBlock: Record<string, boolean> | null;
      policy: unknown | null;
      tags: Record<string, string>;
    };

/** What a step produced (ARNs, ids): stored on its StepRun as a checkpoint. */
export type StepOutput = Record<string, string | number | boolean | null>;

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** Secrets a run holds in memory only; never written to the job store, logs or errors. */
export interface RunSecrets {
  dbAdminPassword?: string;
  dbAdminUser?: string;
  /**
   * Not a secret but, like them, a choice that lives only as long as the run in memory: a DBA ran grants.sql by
   * hand, so the grants step verifies by read-back instead of running its statements.
   */
  grantsRunByHand?: boolean;
}

export type LogLevel = "info" | "warn" | "error";

export interface StepContext {
  env: EnvironmentSettings;
  /** Environment name and id, for tags and log lines. */
  environmentName: string;
  /** Outputs of steps already done in this run (or checkpointed by an earlier attempt). */
  outputs: Partial<Record<StepKey, StepOutput>>;
  /** This step's own checkpoint from an earlier attempt, if any. */
  previous?: StepOutput;
  /** Store what the step has produced so far, before acting further. */
  checkpoint(output: StepOutput): Promise<void>;
  log(level: LogLevel, message: string, requestId?: string): Promise<void>;
  /** 0..1, shown as the step's progress bar. */
  progress(fraction: number): Promise<void>;
  signal: AbortSignal;
  secrets: RunSecrets;
}

export interface Step {
  key: StepKey;
  /** Words from the guide. */
  title: string;
  dependsOn: StepKey[];
  /** IAM actions the step's apply and verify call (`iam:CreateRole`); the operator policy is built from these. */
  iamActions?: string[];
  /** Pure: what would change, with the exact documents. */
  plan(env: EnvironmentSettings, observed: Observed): PlannedChange[];
  /** Idempotent: read, converge, read back. */
  apply(ctx: StepContext): Promise<StepOutput>;
  /** Read-only checks. */
  verify(ctx: StepContext): Promise<Check[]>;
}
