import "server-only";
// Step `db-grants`: guide step 2.2-2.3, "Create IAM Database User" and "Grant Database Permissions", as the DB
// admin: the statements of lib/postgres/statements.ts in one transaction, then a read-back. The admin password
// comes from the run's memory and is scrubbed from everything this step logs, stores or throws.
import type { EnvironmentSettings } from "../config/environment";
import type { ClientBase } from "pg";
import { applyGrants, type GrantLog } from "../postgres/apply";
import { connectAdmin } from "../postgres/connect";
import { iamTokenLoginCheck, type TokenSource } from "../postgres/iam-login";
import { inlineValues } from "../postgres/grants-script";
import type { GrantOptions } from "../postgres/identifiers";
import { safeError, scrubSecrets } from "../postgres/secret-scrub";
import { buildGrantPlan, type GrantPlan } from "../postgres/statements";
import { readBackGrants } from "../postgres/verify";
import type { Observed, PlannedChange, Step, StepContext, StepOutput } from "./types";

export const DB_GRANTS_TITLE = "Create IAM database user and grant database permissions";

/** The engines these statements are for (RDS for PostgreSQL and Aurora PostgreSQL). */
const POSTGRES_ENGINES = new Set(["postgres", "aurora-postgresql"]);

/** What apply checkpoints and returns. */
export type DbGrantsOutput = {
  iamDbUser: string;
  databaseName: string;
  /** Statements that ran (the ones already done were skipped). */
  statements: number;
  skipped: number;
  reassigned: boolean;
  /** False when everything was already in place. */
  changed: boolean;
  /** A DBA ran grants.sql by hand; the step only verified it. */
  byHand?: boolean;
};

export interface DbGrantsStepOptions extends GrantOptions {
  /** Token source for the IAM login check (tests). */
  getToken?: TokenSource;
}

/** Warnings the plan shows before anything runs. */
export function dbGrantsWarnings(env: EnvironmentSettings, observed: Observed | null): string[] {
  const warnings: string[] = [];
  const engine = observed?.database?.engine;
  if (engine && !POSTGRES_ENGINES.has(engine))
    warnings.push(`the database engine is ${engine}, not RDS for PostgreSQL or Aurora PostgreSQL: these statements are PostgreSQL`);
  if (env.dbTls === "disable")
    warnings.push(
      "TLS is disabled for the database connection (dbTls: disable): the admin session is neither encrypted nor checked against the server's certificate",
    );
  if (env.reassignOwned && env.originalDbOwner)
    warnings.push(
      `REASSIGN OWNED BY ${env.originalDbOwner} gives ${env.iamDbUser} everything ${env.originalDbOwner} owns in ${env.databaseName} and every database ${env.originalDbOwner} owns on this server (Keycloak's too, if ${env.originalDbOwner} owns it); ${env.originalDbOwner} keeps its password login but no longer owns them`,
    );
  return warnings;
}

/** The plan: one read row for the refusal checks, then one row per statement with its exact SQL. */
export function planDbGrants(env: EnvironmentSettings, observed: Observed | null, options: GrantOptions = {}): PlannedChange[] {
  const plan: GrantPlan = buildGrantPlan(env, options);
  const t = plan.targets;
  const checks: PlannedChange = {
    step: "db-grants",
    action: "read",
    call: "sql",
    resource: `database ${t.databaseName} as the DB admin`,
    reason:
      "refuses before any change when: the rds_iam role is missing, the IAM user is the admin or has login members that would inherit rds_iam, a schema or the original owner is missing",
    document: [
      ...plan.preamble.map((s) => `${s};`),
      ...plan.guards.map((g) => `SELECT ${inlineValues(g.check, g.values)} AS found; -- ${g.id}`),
    ].join("\n"),
    language: "sql",
  };
  const warnings = dbGrantsWarnings(env, observed);
  if (warnings.length) checks.warnings = warnings;
  const rows = plan.statements.map((s): PlannedChange => {
    const condition = s.onlyIf ? `-- only when: ${inlineValues(s.onlyIf.condition, s.onlyIf.values).replace(/\s+/g, " ")}\n` : "";
    const row: PlannedChange = {
      step: "db-grants",
      action: s.action,
      call: "sql",
      resource: s.resource,
      reason: s.why,
      document: `${condition}${s.sql};`,
      language: "sql",
    };
    if (s.id === "reassign-owned") row.warnings = warnings.filter((w) => w.startsWith("REASSIGN"));
    return row;
  });
  return [checks, ...rows];
}

export function createDbGrantsStep(options: DbGrantsStepOptions = {}): Step {
  const grantOptions: GrantOptions = { rdsIamRole: options.rdsIamRole };
  return {
    key: "db-grants",
    title: DB_GRANTS_TITLE,
    dependsOn: ["rds-iam-auth"],
    // The SQL needs no AWS call; the IAM token login check signs locally and logs in with rds-db:connect.
    iamActions: ["rds-db:connect"],

    plan: (env, observed) => planDbGrants(env, observed, grantOptions),

    async apply(ctx) {
      const password = ctx.secrets.dbAdminPassword;
      const log = scrubbedLog(ctx, password);
      try {
        // Identifiers are refused here, before a connection exists.
        buildGrantPlan(ctx.env, grantOptions);
        const conn = await connectAdmin(ctx, log);
        try {
          await ctx.progress(0.2);
          if (ctx.secrets.grantsRunByHand) return await markDoneByHand(ctx, conn.client, log, grantOptions);
          const applied = await applyGrants(conn.client, ctx.env, { ...grantOptions, log });
          const output: DbGrantsOutput = {
            iamDbUser: applied.iamDbUser,
            databaseName: ctx.env.databaseName,
            statements: applied.executed.length,
            skipped: applied.skipped.length,
            reassigned: applied.reassigned,
            changed: applied.changed,
          };
          await ctx.checkpoint(output);
          await ctx.progress(0.8);
          const checks = await readBackGrants(conn.client, ctx.env, grantOptions);
          const failed = checks.filter((c) => !c.ok);
          for (const c of checks) await log(c.ok ? "info" : "error", `read-back: ${c.name}: ${c.detail}`);
          if (failed.length)
            throw new Error(`the grants were committed but the read-back found gaps: ${failed.map((c) => `${c.name}: ${c.detail}`).join("; ")}`);
          await ctx.progress(1);
          return output satisfies StepOutput;
        } finally {
          await conn.close();
        }
      } catch (error) {
        throw safeError(error, [password]);
      }
    },

    async verify(ctx) {
      const password = ctx.secrets.dbAdminPassword;
      const log = scrubbedLog(ctx, password);
      try {
        const conn = await connectAdmin(ctx, log);
        try {
          const checks = await readBackGrants(conn.client, ctx.env, grantOptions);
          checks.push(
            await iamTokenLoginCheck({
              target: conn.target,
              iamDbUser: ctx.env.iamDbUser,
              region: ctx.env.region,
              getToken: options.getToken,
            }),
          );
          return checks.map((c) => ({ ...c, detail: scrubSecrets(c.detail, [password]) }));
        } finally {
          await conn.close();
        }
      } catch (error) {
        throw safeError(error, [password]);
      }
    },
  };
}

export const dbGrantsStep: Step = createDbGrantsStep();

/** A DBA ran grants.sql by hand: the step is done when the read-back finds everything it would have granted. */
async function markDoneByHand(ctx: StepContext, client: ClientBase, log: GrantLog, options: GrantOptions = {}): Promise<StepOutput> {
  await log("info", "grants.sql was run by hand: verifying by read-back instead of running the statements");
  const checks = await readBackGrants(client, ctx.env, options);
  for (const c of checks) await log(c.ok ? "info" : "error", `read-back: ${c.name}: ${c.detail}`);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length)
    throw new Error(`the grants run by hand are incomplete: ${failed.map((c) => `${c.name}: ${c.detail}`).join("; ")}`);
  const output: DbGrantsOutput = {
    iamDbUser: ctx.env.iamDbUser,
    databaseName: ctx.env.databaseName,
    statements: 0,
    skipped: 0,
    reassigned: ctx.env.reassignOwned,
    changed: false,
    byHand: true,
  };
  await ctx.checkpoint(output);
  await ctx.progress(1);
  return output;
}

function scrubbedLog(ctx: StepContext, password: string | undefined) {
  return (level: "info" | "warn" | "error", message: string) => ctx.log(level, scrubSecrets(message, [password]));
}
