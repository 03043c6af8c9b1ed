import "server-only";
// Step `rds-iam-auth`: turn on IAM database authentication (ModifyDBInstance, or ModifyDBCluster for Aurora) and
// wait until RDS reports it on. No reboot is needed, but ApplyImmediately also applies every pending modification
// (instance class, engine version, storage: an outage mid-day). So: immediately only when nothing else is pending
// or the admin acknowledged the pending list the plan shows; otherwise at the next maintenance window, which the
// run waits for (resumable across restarts: the deadline is checkpointed). An Aurora member instance is refused.
import { AwsCallError } from "../aws/errors";
import { enableIamAuth, readDatabase, type ObservedDatabase } from "../aws/rds";
import { auroraMemberBlocker } from "./aurora-member";
import { describeWindow, nextMaintenanceWindow } from "./maintenance-window";
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

export const IAM_FLAG = "IAMDatabaseAuthenticationEnabled";

function modifyRequest(s: EnvironmentSettings, applyImmediately: boolean) {
  return s.dbKind === "instance"
    ? { DBInstanceIdentifier: s.dbIdentifier, EnableIAMDatabaseAuthentication: true, ApplyImmediately: applyImmediately }
    : { DBClusterIdentifier: s.dbIdentifier, EnableIAMDatabaseAuthentication: true, ApplyImmediately: applyImmediately };
}

/** Pending modifications other than IAM authentication itself: what ApplyImmediately would also apply now. */
export const otherPending = (db: Pick<ObservedDatabase, "pendingModifications">) => db.pendingModifications.filter((p) => p !== IAM_FLAG);

/** Did the admin acknowledge exactly this pending list in the run form? */
const acknowledged = (ack: string[] | undefined, others: string[]) =>
  !!ack && ack.length === others.length && others.every((o) => ack.includes(o));

/** Done: IAM authentication on. Storage optimisation after a modification can take hours and needs no waiting. */
const settled = (db: ObservedDatabase) => db.iamAuthEnabled && (db.status === "available" || db.status === "storage-optimization");

function pendingWarning(s: EnvironmentSettings, others: string[], window: string | null): string[] {
  return others.length
    ? [
        `${s.dbIdentifier} has pending modifications (${others.join(", ")}) that ApplyImmediately would also apply now, some with a restart ` +
          `(instance class, storage, engine version): IAM authentication is requested for ${describeWindow(window, new Date())} and the run waits ` +
          "for it, unless you acknowledge the pending list in the run form to apply everything now",
      ]
    : [];
}

function minutes(ms: number): string {
  const sec = Math.round(ms / 1000);
  return `${Math.floor(sec / 60)}m ${String(sec % 60).padStart(2, "0")}s`;
}

export const databaseFacts = (facts: Facts) => facts["rds-iam-auth"] as ObservedDatabase | null | undefined;

/** What the run form asks the admin to acknowledge: pending modifications besides IAM auth, while it is off. */
export function pendingToAcknowledge(facts: Facts): { names: string[]; window: string | null } | null {
  const db = databaseFacts(facts);
  if (!db || db.iamAuthEnabled) return null;
  const names = otherPending(db);
  return names.length ? { names, window: db.maintenanceWindow } : null;
}

export function createRdsIamAuthStep(opts: RdsIamAuthStepOptions = {}): Step<ObservedDatabase | null> {
  const now = opts.now ?? Date.now;
  const wait = opts.sleep ?? sleep;

  /**
   * Polls until RDS reports IAM authentication on. `deadline` (the clock's ms): the run's own limit, kept in the
   * checkpoint so a run resumed after a restart keeps the same one; for the maintenance window, the window's end
   * plus the usual wait.
   */
  async function waitUntilApplied(ctx: ExecuteContext, deadline: number, what: string) {
    const s = ctx.settings;
    const interval = opts.pollIntervalMs ?? defaultPollIntervalMs();
    const started = now();
    const total = Math.max(1, deadline - started);
    let lastStatus = "";
    for (;;) {
      const db = await readDatabase(ctx.aws, ctx.cx, s.dbKind, s.dbIdentifier);
      if (!db) throw new Error(`database ${s.dbIdentifier} disappeared while waiting for IAM authentication`);
      const elapsed = now() - started;
      if (settled(db)) {
        await ctx.progress(1);
        return `IAM database authentication is on and ${s.dbIdentifier} is ${db.status} (after ${minutes(elapsed)})`;
      }
      if (now() >= deadline)
        throw new Error(
          `timed out waiting for ${what} on ${s.dbIdentifier}: status ${db.status}, ` +
            `IAM authentication ${db.iamAuthEnabled ? "on" : "off"}. Retry the step to keep waiting; nothing is undone.`,
        );
      await ctx.progress(Math.min(0.95, elapsed / total));
      // A window can be days away: one line per change of status, not one per poll.
      const line = `status ${db.status}, IAM authentication ${db.iamAuthEnabled ? "on" : "off"}`;
      if (line !== lastStatus || what === "the modification")
        await ctx.log("info", `waiting for ${what} on ${s.dbIdentifier}: ${line} (${minutes(elapsed)} so far)`);
      lastStatus = line;
      await wait(interval, ctx.signal);
    }
  }

  /**
   * The Modify call, once. RDS refuses a second modification while one is being applied: a refusal that finds IAM
   * authentication pending (or on) is this request's own earlier attempt, accepted with its answer lost (the SDK
   * retries a dropped connection), and counts as requested.
   */
  async function requestIamAuth(ctx: ExecuteContext, immediately: boolean): Promise<string | undefined> {
    const s = ctx.settings;
    try {
      return (await enableIamAuth(ctx.aws, ctx.cx, s.dbKind, s.dbIdentifier, immediately)).requestId;
    } catch (err) {
      if (!(err instanceof AwsCallError && /^InvalidDB(Instance|Cluster)State/.test(err.code))) throw err;
      const db = await readDatabase(ctx.aws, ctx.cx, s.dbKind, s.dbIdentifier);
      if (!db || !(db.iamAuthEnabled || db.pendingModifications.includes(IAM_FLAG))) throw err;
      await ctx.log("info", `${err.action} answered ${err.code}, and IAM database authentication is already being applied (status ${db.status}): an earlier attempt of this request was accepted, its answer lost`, err.requestId);
      return err.requestId;
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
    const others = otherPending(db);
    // The reviewed request: immediately only when nothing else would be applied with it.
    const request = modifyRequest(s, others.length === 0);
    const warnings = pendingWarning(s, others, db.maintenanceWindow);
    return [
      change("rds-iam-auth", "modify", {
        action: "update",
        call,
        resource,
        reason: inFlight
          ? `IAM database authentication is already being applied (status ${db.status}): the apply waits for it`
          : others.length
            ? `IAM database authentication is off (status ${db.status}); requested for ${describeWindow(db.maintenanceWindow, new Date())}, or now with the ${others.length} pending modification(s) if acknowledged`
            : `IAM database authentication is off (status ${db.status}); applied immediately, no reboot needed`,
        document: json(request),
        language: "json",
        needs: [call, s.dbKind === "instance" ? "rds:DescribeDBInstances" : "rds:DescribeDBClusters"],
        ...(warnings.length ? { warnings } : {}),
        async execute(ctx) {
          // What this run's observation read moments ago: no need to read it again before deciding.
          const current = databaseFacts(ctx.facts) ?? (await readDatabase(ctx.aws, ctx.cx, s.dbKind, s.dbIdentifier));
          if (!current) throw new Error(`database ${s.dbIdentifier} not found in ${s.region}`);
          const pendingNow = otherPending(current);
          const previous = ctx.previous ?? {};
          const requested =
            current.pendingModifications.includes(IAM_FLAG) || (previous.modifyRequested === true && current.status === "modifying");
          // Immediately: nothing else pending, or the admin acknowledged exactly what is.
          const immediately =
            typeof previous.immediately === "boolean"
              ? previous.immediately
              : pendingNow.length === 0 || acknowledged(ctx.choices?.applyPendingNow, pendingNow);
          const windowEnd = nextMaintenanceWindow(current.maintenanceWindow, new Date(now()))?.end.getTime() ?? now() + 8 * 24 * 3600_000;
          const deadline =
            typeof previous.deadline === "number"
              ? previous.deadline
              : (immediately ? now() : windowEnd) + s.rdsWaitTimeoutMinutes * 60_000;
          const what = immediately ? "the modification" : `${describeWindow(current.maintenanceWindow, new Date(now()))}`;
          let requestId: string | undefined;
          if (requested) {
            // The process that sent the request died before its answer: the pending request is that call's.
            if (ctx.startedBefore && previous.modifyRequested !== true)
              await ctx.log("info", `${call} ${resource}: made by the interrupted attempt (accepted before the process stopped); not repeated`);
            await ctx.log("info", `IAM database authentication is already being applied to ${s.dbIdentifier} (status ${current.status}): waiting for ${what}`);
            if (typeof previous.deadline !== "number") await ctx.checkpoint({ modifyRequested: true, immediately, deadline });
          } else if (!settled(current)) {
            if (pendingNow.length && immediately)
              await ctx.log("warn", `applying now, as acknowledged by the admin, with the pending modifications ${pendingNow.join(", ")}`);
            requestId = await requestIamAuth(ctx, immediately);
            await ctx.checkpoint({ modifyRequested: true, immediately, deadline });
            await ctx.log(
              "info",
              immediately
                ? `requested IAM database authentication on ${s.dbIdentifier} (${call.slice(4)}, ApplyImmediately)`
                : `requested IAM database authentication on ${s.dbIdentifier} for ${what} (${call.slice(4)}, not immediately: ${pendingNow.join(", ")} pending); the run waits and can be resumed after a restart`,
              requestId,
            );
          }
          return { output: { dbIamAuthEnabled: true }, message: await waitUntilApplied(ctx, deadline, what) };
        },
        cli: (w) =>
          s.dbKind === "instance"
            ? (w.command("aws", "rds", "modify-db-instance", "--db-instance-identifier", s.dbIdentifier, "--enable-iam-database-authentication", request.ApplyImmediately ? "--apply-immediately" : "--no-apply-immediately"),
              w.command("aws", "rds", "wait", "db-instance-available", "--db-instance-identifier", s.dbIdentifier))
            : (w.command("aws", "rds", "modify-db-cluster", "--db-cluster-identifier", s.dbIdentifier, "--enable-iam-database-authentication", request.ApplyImmediately ? "--apply-immediately" : "--no-apply-immediately"),
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
    blockers: (facts, s) => auroraMemberBlocker(facts, s),
  };
}

export const rdsIamAuthStep = createRdsIamAuthStep();
