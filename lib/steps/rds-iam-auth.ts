import "server-only";
// Step `rds-iam-auth`: turn on IAM database authentication (ModifyDBInstance, or ModifyDBCluster for Aurora) and
// wait until RDS reports it on and the database available. No reboot is needed, but ApplyImmediately also
// applies every pending modification: the plan lists them.
import type { EnvironmentSettings } from "../config/environment";
import { awsClients } from "../aws/clients";
import { enableIamAuth, readDatabase } from "../aws/rds";
import { toPolicyJson } from "../policies/policy-json";
import { callContext, type RdsIamAuthOutput } from "./outputs";
import { sleep } from "./sleep";
import type { PlannedChange, Step, StepContext } from "./types";
import { verifyByPlan } from "./verify-by-plan";

export const RDS_IAM_AUTH_ACTIONS = [
  "rds:DescribeDBInstances",
  "rds:DescribeDBClusters",
  "rds:ModifyDBInstance",
  "rds:ModifyDBCluster",
];

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

function modifyRequest(env: EnvironmentSettings) {
  return env.dbKind === "instance"
    ? { DBInstanceIdentifier: env.dbIdentifier, EnableIAMDatabaseAuthentication: true, ApplyImmediately: true }
    : { DBClusterIdentifier: env.dbIdentifier, EnableIAMDatabaseAuthentication: true, ApplyImmediately: true };
}

function pendingWarning(env: EnvironmentSettings, pending: string[]): string[] {
  return pending.length
    ? [
        `${env.dbIdentifier} has pending modifications (${pending.join(", ")}) that ApplyImmediately will also apply now; ` +
          "some (instance class, storage, engine version) restart the database",
      ]
    : [];
}

function minutes(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
}

export function createRdsIamAuthStep(opts: RdsIamAuthStepOptions = {}): Step {
  const now = opts.now ?? Date.now;
  const wait = opts.sleep ?? sleep;

  async function waitUntilApplied(ctx: StepContext): Promise<RdsIamAuthOutput> {
    const { env } = ctx;
    const c = awsClients(env.region);
    const cx = callContext(ctx);
    const interval = opts.pollIntervalMs ?? defaultPollIntervalMs();
    const timeoutMs = env.rdsWaitTimeoutMinutes * 60_000;
    const started = now();
    for (;;) {
      const db = await readDatabase(c, cx, env.dbKind, env.dbIdentifier);
      if (!db) throw new Error(`database ${env.dbIdentifier} disappeared while waiting for IAM authentication`);
      const elapsed = now() - started;
      if (db.iamAuthEnabled && db.status === "available") {
        await ctx.progress(1);
        await ctx.log("info", `IAM database authentication is on and ${env.dbIdentifier} is available (after ${minutes(elapsed)})`);
        return { dbIamAuthEnabled: true, dbStatus: db.status };
      }
      if (elapsed >= timeoutMs)
        throw new Error(
          `timed out after ${env.rdsWaitTimeoutMinutes} min waiting for ${env.dbIdentifier}: status ${db.status}, ` +
            `IAM authentication ${db.iamAuthEnabled ? "on" : "off"}. Retry the step to keep waiting; nothing is undone.`,
        );
      await ctx.progress(Math.min(0.95, elapsed / timeoutMs));
      await ctx.log(
        "info",
        `waiting for ${env.dbIdentifier}: status ${db.status}, IAM authentication ${db.iamAuthEnabled ? "on" : "off"} ` +
          `(${minutes(elapsed)} of at most ${env.rdsWaitTimeoutMinutes} min)`,
      );
      await wait(interval, ctx.signal);
    }
  }

  const step: Step = {
    key: "rds-iam-auth",
    title: "Enable IAM database authentication on RDS",
    dependsOn: ["discover"],
    iamActions: RDS_IAM_AUTH_ACTIONS,

    plan(env, observed): PlannedChange[] {
      const call = env.dbKind === "instance" ? "rds:ModifyDBInstance" : "rds:ModifyDBCluster";
      const resource = `${env.dbKind === "instance" ? "RDS DB instance" : "Aurora DB cluster"} ${env.dbIdentifier}`;
      const db = observed.database;
      if (!db)
        return [
          {
            step: "rds-iam-auth",
            action: "update",
            call,
            resource,
            reason: "database not found",
            warnings: [`${resource} not found in ${env.region}: the apply will stop at discovery`],
          },
        ];
      if (db.iamAuthEnabled)
        return [{ step: "rds-iam-auth", action: "unchanged", call, resource, reason: "IAM database authentication is on" }];
      const warnings = pendingWarning(env, db.pendingModifications);
      return [
        {
          step: "rds-iam-auth",
          action: "update",
          call,
          resource,
          reason: `IAM database authentication is off (status ${db.status}); applied immediately, no reboot needed`,
          document: toPolicyJson(modifyRequest(env)),
          language: "json",
          ...(warnings.length ? { warnings } : {}),
        },
      ];
    },

    async apply(ctx) {
      const { env } = ctx;
      const c = awsClients(env.region);
      const cx = callContext(ctx);
      const db = await readDatabase(c, cx, env.dbKind, env.dbIdentifier);
      if (!db) throw new Error(`database ${env.dbIdentifier} not found in ${env.region}`);
      if (db.iamAuthEnabled && ctx.previous?.modifyRequested !== true) {
        await ctx.log("info", `IAM database authentication is already on for ${env.dbIdentifier}: unchanged`);
        return { dbIamAuthEnabled: true, dbStatus: db.status } satisfies RdsIamAuthOutput;
      }
      // A request already in flight (resumed after a crash mid-wait, or made by someone else) is waited for, not
      // repeated: RDS refuses a second modification while the first is still being applied.
      const inFlight =
        db.pendingModifications.includes("IAMDatabaseAuthenticationEnabled") ||
        (ctx.previous?.modifyRequested === true && db.status === "modifying");
      if (!db.iamAuthEnabled && inFlight) {
        await ctx.log("info", `IAM database authentication is already being applied to ${env.dbIdentifier} (status ${db.status}): waiting`);
      } else if (!db.iamAuthEnabled) {
        for (const w of pendingWarning(env, db.pendingModifications)) await ctx.log("warn", w);
        const res = await enableIamAuth(c, cx, env.dbKind, env.dbIdentifier);
        await ctx.checkpoint({ modifyRequested: true });
        await ctx.log(
          "info",
          `requested IAM database authentication on ${env.dbIdentifier} (${env.dbKind === "instance" ? "ModifyDBInstance" : "ModifyDBCluster"}, ApplyImmediately)`,
          res.requestId,
        );
      }
      return waitUntilApplied(ctx);
    },

    verify: (ctx) => verifyByPlan(step, ctx),
  };
  return step;
}

export const rdsIamAuthStep = createRdsIamAuthStep();
