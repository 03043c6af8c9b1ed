// The Step: the one abstraction the engine hangs on. A step reads what exists (`observe`, read-only) and turns
// those facts plus the settings into a list of `Change`s (`changes`, pure). Plan = observe + changes; apply =
// execute the changes that are not `unchanged`; verify = observe again and expect every change `unchanged`. The
// plan page, the CLI script, grants.sql and the operator policy all read the same changes.
// lib/steps/index.ts holds the catalogue and the dependency graph; lib/jobs runs it.
import type { EnvironmentSettings } from "../config/environment";
import type { ScopeTarget } from "../policies/scopes";
import type { AwsCallContext } from "../aws/call";
import type { AwsClients } from "../aws/clients";

export type { ScopeTarget };

/** A step's key (`rds-role`). The catalogue (lib/steps/index.ts) is the list of valid keys. */
export type StepKey = string;

/**
 * What a change does: `create` and `update` call AWS (or run SQL); `unchanged` is shown and checked but not run;
 * `adopt` takes over something that exists but the console did not create (confirmed by the admin);
 * `delete` removes (teardown); `deferred` is decided when applied (SQL rows planned without DB credentials).
 */
export type ChangeAction = "create" | "update" | "unchanged" | "adopt" | "delete" | "deferred";

export type LogLevel = "info" | "warn" | "error";

/** Everything every observe (read-only) saw, by step key: plain JSON (stored with a saved plan). */
export type Facts = Record<StepKey, unknown>;

/** IAM actions a step may call and the resources they act on. Every call a step makes is declared here. */
export interface Permission {
  actions: string[];
  resources: (t: ScopeTarget) => string[];
}

/** What executing a change hands back: ids and ARNs for the step's output, and the AWS request id for the log. */
export interface ChangeResult {
  output?: Record<string, string | number | boolean | null>;
  requestId?: string;
  /** The log line that says what was done (default: "<action>d <resource>"). */
  message?: string;
}

export interface ExecuteContext {
  settings: EnvironmentSettings;
  facts: Facts;
  aws: AwsClients;
  /** The cancel signal and caller ARN for every AWS call. */
  cx: AwsCallContext;
  signal: AbortSignal;
  secrets: RunSecrets;
  log(level: LogLevel, message: string, requestId?: string): Promise<void>;
  /** 0..1, shown as the step's progress bar. */
  progress(fraction: number): Promise<void>;
  /** The run form's choices stored with the run (absent outside a run: nothing acknowledged). */
  choices?: RunChoices;
  /** What this change's earlier attempt stored (a long wait resumed after a restart). */
  previous?: Record<string, unknown>;
  /**
   * The interrupted attempt started this change's call and stopped before hearing back: AWS may have accepted
   * it. The change checks before calling again, and says so when it finds its own request.
   */
  startedBefore?: boolean;
  /** Stores what the change has done so far, before it acts further (the line a cancel stops at). */
  checkpoint(data: Record<string, unknown>): Promise<void>;
}

/** How a change prints itself for the AWS CLI script: commands, and documents written to files first. */
export interface CliWriter {
  /** One shell command; arguments are quoted by the writer. `{ file }` arguments become `file://…` paths. */
  command(...argv: (string | { file: string; name: string })[]): void;
  /** A line of SQL or a note, printed as a comment (the CLI script does not run SQL). */
  note(text: string): void;
}

/** One row of the plan: one AWS call or SQL statement with create / update / unchanged and its exact document. */
export interface Change {
  /** Stable across runs: `rds-role:trust`. A resumed run matches changes to the reviewed plan by id + document. */
  id: string;
  step: StepKey;
  action: ChangeAction;
  /** The AWS API (`iam:CreateRole`) or `sql`. */
  call: string;
  /** What it acts on, in the guide's words: `IAM role studio-staging-rds-role`. */
  resource: string;
  /** One line on why (e.g. "trust policy differs"). */
  reason?: string;
  /** The exact request document (stable pretty JSON) or SQL. */
  document?: string;
  language?: "json" | "sql";
  warnings?: string[];
  /** An `adopt` change runs only when the admin typed this name (the resource's) in the run form: lib/steps/adopt.ts. */
  confirmName?: string;
  /** IAM actions the change calls; each must be in its step's `permissions` (tests hold every step to this). */
  needs: string[];
  /**
   * Part of another change (`serves`: its id), shown with it rather than counted on its own: a temporary
   * membership granted and revoked around the statements that need it.
   */
  serves?: string;
  /**
   * Changes of the same step this one waits for (their ids). Absent: the change before it in the list. `[]`:
   * none, so independent changes run side by side (the bucket's settings once the bucket exists).
   */
  after?: string[];
  /** The one mutating call (absent when there is nothing to do, or when facts are missing: see `warnings`). */
  execute?(ctx: ExecuteContext): Promise<ChangeResult>;
  /** The same change for the AWS CLI script (or grants.sql). */
  cli?(w: CliWriter): void;
}

/** A read-only call of `observe`, shown on the plan (the SQL of the grants' refusal checks, for one). */
export interface PlanRead {
  call: string;
  resource: string;
  document?: string;
  language?: "json" | "sql";
  /** The same read for the AWS CLI script, when worth repeating by hand. */
  cli?(w: CliWriter): void;
}

/** A change as stored with a saved plan and shown on pages: data only. */
export type PlannedChange = Omit<Change, "execute" | "cli">;

export interface ObserveContext {
  settings: EnvironmentSettings;
  /** Facts of the steps observed before this one (every dependency's, at least). */
  facts: Facts;
  aws: AwsClients;
  cx: AwsCallContext;
  /** One read per key in an observation: discovery reads each resource once, however many steps need it. */
  read<T>(key: string, load: () => Promise<T>): Promise<T>;
  secrets: RunSecrets;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** What the admin chose in the run form beyond the reviewed plan; stored with the run (not secret). */
export interface RunChoices {
  /** Names typed to adopt roles or buckets the console did not create (lib/steps/adopt.ts). */
  adopt?: string[];
  /** RDS pending modifications acknowledged to be applied now, with IAM authentication (else: next maintenance window). */
  applyPendingNow?: string[];
  /** A teardown run's review: the deletes the admin saw (lib/teardown/review.ts) and the names typed to delete what holds data. */
  teardown?: { reviewed: string[]; confirmDelete: string[] };
}

/** Secrets a run holds in memory only; never written to the job store, logs or errors. */
export interface RunSecrets {
  dbAdminPassword?: string;
  dbAdminUser?: string;
  /**
   * Not a secret but, like them, a choice that lives only as long as the run: the admin accepted sending the
   * password without verified TLS (a tunnel that already encrypts).
   */
  acknowledgeUnverifiedTls?: boolean;
}

/** What a step proves in an access run: its checks, and a plain-JSON report stored beside them. */
export interface Proof {
  checks: Check[];
  report: Record<string, unknown>;
}

export interface Step<F = unknown> {
  key: StepKey;
  /** Words from the guide. */
  title: string;
  dependsOn: StepKey[];
  /** Every IAM action the step calls (reads and writes) with its resources: the operator policy is built from these. */
  permissions: Permission[];
  /** False when the environment's settings do not use this step (Pod Identity needs no OIDC provider). */
  appliesTo?(settings: EnvironmentSettings): boolean;
  /**
   * `execute`: observed when the step runs, not with the others, and not part of the reviewed fingerprint
   * (the database grants need IAM authentication on, and guard their own transaction).
   */
  observeWhen?: "plan" | "execute";
  /**
   * Steps whose facts `observe` reads (the bucket's reads name the account as expected owner). Reads wait for
   * nothing else: an observation is as deep as its longest chain of dependent reads, not as the catalogue.
   */
  readsAfter?: StepKey[];
  /** Read-only. */
  observe(ctx: ObserveContext): Promise<F>;
  /** Pure: what would change, with the exact documents, in the order they run. */
  changes(facts: Facts, settings: EnvironmentSettings): Change[];
  /** Pure: what stops the apply at this step (cluster not found, …); also shown as plan warnings. */
  blockers?(facts: Facts, settings: EnvironmentSettings): string[];
  /** Pure: plan warnings about the step as a whole (trust scope, pending RDS modifications). */
  warnings?(facts: Facts, settings: EnvironmentSettings): string[];
  /** Log lines that say what was observed (the identity acted as, the database found). */
  describe?(facts: F, settings: EnvironmentSettings): string[];
  /** Run all changes at once (one SQL transaction) instead of one by one. */
  executeAll?(changes: Change[], ctx: ExecuteContext): Promise<ChangeResult>;
  /** A verify run's checks from the facts, instead of one "unchanged?" check per change (the grants' read-back). */
  verifyChecks?(facts: Facts, settings: EnvironmentSettings): Check[];
  /** Checks a verify run adds that need more than the facts (the IAM token login). */
  verifyMore?(ctx: ExecuteContext): Promise<Check[]>;
  /**
   * An access run's proof from the facts (read-only, no change): the checks it passed or failed and the report
   * stored with them as the step's output (the access matrix).
   */
  prove?(facts: Facts, settings: EnvironmentSettings): Promise<Proof>;
  /** What `observe` reads, for the plan page and the CLI script (`eks:DescribeCluster` of the cluster, …). */
  reads?(settings: EnvironmentSettings): PlanRead[];
}

/** The facts of `step` in a set of facts, typed by the step that observed them. */
export function factsOf<F>(facts: Facts, step: Step<F>): F {
  return facts[step.key] as F;
}
