import "server-only";
// Step `rds-iam-auth`: turn on IAM database authentication (ModifyDBInstance, or ModifyDBCluster for Aurora) and
// wait until RDS reports it on and the database available. No reboot is needed, but ApplyImmediately also
// applies every pending modification: the plan lists them.
import { enableIamAuth, readDatabase, type ObservedDatabase } from "../aws/rds";
import type { EnvironmentSettings } from "../config/environment";
import { scopes } from "../policies/scopes";
import { change, json } from "./change";
import { dbLabel, readDatabaseOnce } from "./discover";
import { sleep } from "./sleep";
import type { Change, ExecuteContext, Facts, Step } from "./types";

/** Poll interval while RDS applies the change; `RDS_POLL_INTERVAL_MS` overrides the 15 s default. */
export function defaultPollIntervalMs(): number {
  const raw = Number(process.env.RDS_POLL_INTERVAL_MS);
  return Number.isFinite(raw) && raw > 0 ? raw : 15_000;
}

export interface RdsIamAuthStepOptions {
  pollIntervalMs?: number;
  /** Clock and sleep, replaceable so tests can run a 20-minute wait in no time. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const IAM_FLAG = "IAMDatabaseAuthenticationEnabled";

function modifyRequest(s: EnvironmentSettings) {
  return s.dbKind === "instance"
    ? { DBInstanceIdentifier: s.dbIdentifier, EnableIAMDatabaseAuthentication: true, ApplyImmediately: true }
    : { DBClusterIdentifier: s.dbIdentifier, EnableIAMDatabaseAuthentication: true, ApplyImmediately: true };
}

function pendingWarning(s: EnvironmentSettings, pending: string[]): string[] {
  const others = pending.filter((p) => p !== IAM_FLAG);
  return others.length
    ? [
        `${s.dbIdentifier} has pending modifications (${others.join(", ")}) that ApplyImmediately will also apply now; ` +
          "some (instance class, storage, engine version) restart the database",
      ]
    : [];
}

function minutes(ms: number): string {
  const sec = Math.round(ms / 1000);
  return `${Math.floor(sec / 60)}m ${String(sec % 60).padStart(2, "0")}s`;
}

export const databaseFacts = (facts: Facts) => facts["rds-iam-auth"] as ObservedDatabase | null | undefined;

export function createRdsIamAuthStep(opts: RdsIamAuthStepOptions = {}): Step<ObservedDatabase | null> {
  const now = opts.now ?? Date.now;
  const wait = opts.sleep ?? sleep;

  async function waitUntilApplied(ctx: ExecuteContext) {
    const s = ctx.settings;
    const interval = opts.pollIntervalMs ?? defaultPollIntervalMs();
    const timeoutMs = s.rdsWaitTimeoutMinutes * 60_000;
    const started = now();
    for (;;) {
      const db = await readDatabase(ctx.aws, ctx.cx, s.dbKind, s.dbIdentifier);
      if (!db) throw new Error(`database ${s.dbIdentifier} disappeared while waiting for IAM authentication`);
      const elapsed = now() - started;
      if (db.iamAuthEnabled && db.status === "available") {
        await ctx.progress(1);
        return `IAM database authentication is on and ${s.dbIdentifier} is available (after ${minutes(elapsed)})`;
      }
      if (elapsed >= timeoutMs)
        throw new Error(
          `timed out after ${s.rdsWaitTimeoutMinutes} min waiting for ${s.dbIdentifier}: status ${db.status}, ` +
            `IAM authentication ${db.iamAuthEnabled ? "on" : "off"}. Retry the step to keep waiting; nothing is undone.`,
        );
      await ctx.progress(Math.min(0.95, elapsed / timeoutMs));
      await ctx.log(
        "info",
        `waiting for ${s.dbIdentifier}: status ${db.status}, IAM authentication ${db.iamAuthEnabled ? "on" : "off"} ` +
          `(${minutes(elapsed)} of at most ${s.rdsWaitTimeoutMinutes} min)`,
      );
      await wait(interval, ctx.signal);
    }
  }

  function changes(facts: Facts, s: EnvironmentSettings): Change[] {
    const db = databaseFacts(facts);
    if (!db) return [];
    const call = s.dbKind === "instance" ? "rds:ModifyDBInstance" : "rds:ModifyDBCluster";
    const resource = dbLabel(s);
    if (db.iamAuthEnabled)
      return [change("rds-iam-auth", "modify", { action: "unchanged", call, resource, reason: "IAM database authentication is on", needs: [call] })];
    // Requested already (by an interrupted run, or someone else): wait for it; RDS refuses a second modification.
    const inFlight = db.pendingModifications.includes(IAM_FLAG);
    const request = modifyRequest(s);
    return [
      change("rds-iam-auth", "modify", {
        action: "update",
        call,
        resource,
        reason: inFlight
          ? `IAM database authentication is already being applied (status ${db.status}): the apply waits for it`
          : `IAM database authentication is off (status ${db.status}); applied immediately, no reboot needed`,
        document: json(request),
        language: "json",
        needs: [call, s.dbKind === "instance" ? "rds:DescribeDBInstances" : "rds:DescribeDBClusters"],
        ...(pendingWarning(s, db.pendingModifications).length ? { warnings: pendingWarning(s, db.pendingModifications) } : {}),
        async execute(ctx) {
          // What this run's observation read moments ago: no need to read it again before deciding.
          const current = databaseFacts(ctx.facts) ?? (await readDatabase(ctx.aws, ctx.cx, s.dbKind, s.dbIdentifier));
          if (!current) throw new Error(`database ${s.dbIdentifier} not found in ${s.region}`);
          const requested =
            current.pendingModifications.includes(IAM_FLAG) || (ctx.previous?.modifyRequested === true && current.status === "modifying");
          let requestId: string | undefined;
          if (requested) {
            await ctx.log("info", `IAM database authentication is already being applied to ${s.dbIdentifier} (status ${current.status}): waiting`);
          } else if (!current.iamAuthEnabled) {
            for (const w of pendingWarning(s, current.pendingModifications)) await ctx.log("warn", w);
            requestId = (await enableIamAuth(ctx.aws, ctx.cx, s.dbKind, s.dbIdentifier)).requestId;
            await ctx.checkpoint({ modifyRequested: true });
            await ctx.log("info", `requested IAM database authentication on ${s.dbIdentifier} (${call.slice(4)}, ApplyImmediately)`, requestId);
          }
          return { output: { dbIamAuthEnabled: true }, message: await waitUntilApplied(ctx) };
        },
        cli: (w) =>
          s.dbKind === "instance"
            ? (w.command("aws", "rds", "modify-db-instance", "--db-instance-identifier", s.dbIdentifier, "--enable-iam-database-authentication", "--apply-immediately"),
              w.command("aws", "rds", "wait", "db-instance-available", "--db-instance-identifier", s.dbIdentifier))
            : (w.command("aws", "rds", "modify-db-cluster", "--db-cluster-identifier", s.dbIdentifier, "--enable-iam-database-authentication", "--apply-immediately"),
              w.command("aws", "rds", "wait", "db-cluster-available", "--db-cluster-identifier", s.dbIdentifier)),
      }),
    ];
  }

  return {
    key: "rds-iam-auth",
    title: "Enable IAM database authentication on RDS",
    dependsOn: ["discover"],
    permissions: [
      { actions: ["rds:DescribeDBInstances", "rds:DescribeDBClusters", "rds:ModifyDBInstance", "rds:ModifyDBCluster"], resources: scopes.database },
    ],
    observe: (ctx) => readDatabaseOnce(ctx),
    changes,
  };
}

export const rdsIamAuthStep = createRdsIamAuthStep();
