import "server-only";
// Step `db-grants`: guide step 2.2-2.3, "Create IAM Database User" and "Grant Database Permissions", as the DB
// admin: the statements of lib/postgres/statements.ts, run together in one transaction (guards first), then a
// read-back. Observed when it runs (rds_iam exists once IAM authentication is on), or by a plan refreshed with the
// DB admin's credentials; without them every statement is "checked when applied". The admin password travels only
// over verified TLS unless the admin acknowledged otherwise, and is scrubbed from everything this step logs,
// stores or throws.
import type { EnvironmentSettings } from "../config/environment";
import { applyGrants } from "../postgres/apply";
import { connectAdmin, connectionTarget, type ConnectLog } from "../postgres/connect";
import { inlineValues } from "../postgres/grants-script";
import { iamTokenLoginCheck, type TokenSource } from "../postgres/iam-login";
import type { GrantOptions } from "../postgres/identifiers";
import { observeGrants, type GrantsObservation } from "../postgres/observe";
import { ownershipWarnings } from "../postgres/ownership";
import { safeError, scrubSecrets } from "../postgres/secret-scrub";
import { buildGrantPlan } from "../postgres/statements";
import { readBackGrants } from "../postgres/verify";
import { scopes } from "../policies/scopes";
import { change } from "./change";
import { discoverFacts } from "./discover";
import type { Change, Check, Facts, LogLevel, RunSecrets, Step } from "./types";

export const DB_GRANTS_TITLE = "Create IAM database user and grant database permissions";

/** The engines these statements are for (RDS for PostgreSQL and Aurora PostgreSQL). */
const POSTGRES_ENGINES = new Set(["postgres", "aurora-postgresql"]);

/**
 * What the grants look like now, read as the DB admin: per statement in place or needed (observeGrants), the
 * refusals, and the effective privileges read back. `observed: false` without credentials.
 */
export type DbGrantsFacts = { observed: false } | ({ observed: true; checks: Check[] } & GrantsObservation);

export interface DbGrantsStepOptions extends GrantOptions {
  /** Token source for the IAM login check (tests). */
  getToken?: TokenSource;
}

/** The RDS master user as discovery read it: never made the IAM user, and what owner membership would hand over. */
const masterUsernameOf = (facts: Facts) => discoverFacts(facts).database?.masterUsername ?? null;

/** Warnings the plan shows before anything runs. */
export function dbGrantsWarnings(s: EnvironmentSettings, facts: Facts, options: GrantOptions = {}): string[] {
  const warnings: string[] = [];
  const engine = discoverFacts(facts).database?.engine;
  if (engine && !POSTGRES_ENGINES.has(engine))
    warnings.push(`the database engine is ${engine}, not RDS for PostgreSQL or Aurora PostgreSQL: these statements are PostgreSQL`);
  if (s.dbTls === "disable")
    warnings.push(
      "TLS is disabled for the database connection (dbTls: disable): the admin session is neither encrypted nor checked against the server's certificate, and the apply asks you to confirm sending the password that way",
    );
  const seen = facts["db-grants"] as DbGrantsFacts | undefined;
  for (const w of ownershipWarnings(s, seen?.observed ? seen.ownership : null, { ...options, masterUsername: masterUsernameOf(facts) }))
    warnings.push(
      w.alternatives?.length ? `${w.message}. Alternatives: ${w.alternatives.map((a) => `${a.choice} (${a.tradeOff})`).join("; ")}` : w.message,
    );
  return warnings;
}

/** The admin connection: discovery's endpoint (or the tunnel override), the credentials, the TLS acknowledgement. */
function connect(settings: EnvironmentSettings, facts: Facts, secrets: RunSecrets, signal: AbortSignal | undefined, log: ConnectLog) {
  const db = discoverFacts(facts).database;
  return connectAdmin(
    {
      target: connectionTarget(settings, { endpoint: db?.endpoint ?? null, port: db?.port ?? null }),
      credentials: { user: secrets.dbAdminUser, password: secrets.dbAdminPassword },
      acknowledgeUnverifiedTls: secrets.acknowledgeUnverifiedTls === true,
      signal,
    },
    (level, message) => log(level, scrubSecrets(message, [secrets.dbAdminPassword])),
  );
}

/** The statements as plan rows, in the order they run. */
function grantChanges(s: EnvironmentSettings, facts: Facts, options: GrantOptions): Change[] {
  const plan = buildGrantPlan(s, { ...options, masterUsername: masterUsernameOf(facts) });
  const seen = facts["db-grants"] as DbGrantsFacts | undefined;
  const state = new Map(seen?.observed ? seen.statements.map((st) => [st.id, st]) : []);
  // The REASSIGN row carries its maintenance-window warning where the reviewer reads the statement.
  const reassignWarning = ownershipWarnings(s, seen?.observed ? seen.ownership : null, options).find((w) => w.id === "reassign-maintenance-window");
  return plan.statements.map((st) => {
    const observed = state.get(st.id);
    return change("db-grants", st.id, {
      action: !seen?.observed ? "deferred" : observed?.state === "in-place" ? "unchanged" : st.action,
      call: "sql",
      resource: st.resource,
      reason: !seen?.observed
        ? `${st.why} (checked when applied: the plan had no database credentials)`
        : observed?.state === "in-place"
          ? observed.detail || "in place"
          : `${st.why}${observed?.detail ? ` (${observed.detail})` : ""}`,
      document: `${st.onlyIf ? `-- only when: ${inlineValues(st.onlyIf.condition, st.onlyIf.values).replace(/\s+/g, " ")}\n` : ""}${st.sql};`,
      language: "sql",
      needs: [],
      ...(st.id === "reassign-owned" && reassignWarning ? { warnings: [reassignWarning.message] } : {}),
      // The admin's temporary memberships come and go inside the transaction: part of what they serve, not changes.
      ...(st.transient ? { serves: "db-grants:grant-database" } : {}),
      cli: (w) => w.note(`${st.sql};`),
    });
  });
}

export function createDbGrantsStep(options: DbGrantsStepOptions = {}): Step<DbGrantsFacts> {
  const grantOptions = (facts: Facts): GrantOptions => ({ rdsIamRole: options.rdsIamRole, masterUsername: masterUsernameOf(facts) });

  return {
    key: "db-grants",
    title: DB_GRANTS_TITLE,
    dependsOn: ["discover", "rds-iam-auth"],
    observeWhen: "execute",
    readsAfter: ["discover"],
    // The SQL needs no AWS call; the IAM token login check signs locally and logs in with rds-db:connect.
    permissions: [{ actions: ["rds-db:connect"], resources: scopes.dbUser }],

    async observe(ctx): Promise<DbGrantsFacts> {
      if (!ctx.secrets.dbAdminPassword) return { observed: false };
      const password = ctx.secrets.dbAdminPassword;
      try {
        // Identifiers are refused here, before a connection exists.
        buildGrantPlan(ctx.settings, grantOptions(ctx.facts));
        const conn = await connect(ctx.settings, ctx.facts, ctx.secrets, ctx.cx.signal, () => undefined);
        try {
          const observation = await observeGrants(conn.client, ctx.settings, grantOptions(ctx.facts));
          const checks = await readBackGrants(conn.client, ctx.settings, grantOptions(ctx.facts));
          return { observed: true, ...observation, checks };
        } finally {
          await conn.close();
        }
      } catch (error) {
        throw safeError(error, [password]);
      }
    },
    changes: (facts, s) => grantChanges(s, facts, grantOptions(facts)),
    blockers(facts) {
      const seen = facts["db-grants"] as DbGrantsFacts | undefined;
      return seen?.observed ? seen.refusals.map((r) => r.message) : [];
    },
    warnings: (facts, s) => dbGrantsWarnings(s, facts, grantOptions(facts)),
    reads(s) {
      const plan = buildGrantPlan(s, { rdsIamRole: options.rdsIamRole });
      return [
        {
          call: "sql",
          resource: `database ${plan.targets.databaseName} as the DB admin: refusal checks before any change`,
          document: [
            ...plan.preamble.map((x) => `${x};`),
            ...plan.guards.map((g) => `SELECT ${inlineValues(g.check, g.values)} AS found; -- ${g.id}`),
          ].join("\n"),
          language: "sql",
        },
      ];
    },

    async executeAll(_changes, ctx) {
      const password = ctx.secrets.dbAdminPassword;
      const log = (level: LogLevel, message: string) => ctx.log(level, scrubSecrets(message, [password]));
      try {
        buildGrantPlan(ctx.settings, grantOptions(ctx.facts));
        const conn = await connect(ctx.settings, ctx.facts, ctx.secrets, ctx.signal, log);
        try {
          await ctx.progress(0.2);
          const applied = await applyGrants(conn.client, ctx.settings, { ...grantOptions(ctx.facts), log });
          await ctx.progress(0.8);
          const checks = await readBackGrants(conn.client, ctx.settings, grantOptions(ctx.facts));
          for (const c of checks) await log(c.ok ? "info" : "error", `read-back: ${c.name}: ${c.detail}`);
          const failed = checks.filter((c) => !c.ok);
          if (failed.length)
            throw new Error(`the grants were committed but the read-back found gaps: ${failed.map((c) => `${c.name}: ${c.detail}`).join("; ")}`);
          return {
            output: { statements: applied.executed.length, skipped: applied.skipped.length, reassigned: applied.reassigned, changed: applied.changed },
            message: applied.changed ? "grants committed and read back" : "every grant was already in place",
          };
        } finally {
          await conn.close();
        }
      } catch (error) {
        throw safeError(error, [password]);
      }
    },

    verifyChecks(facts) {
      const seen = facts["db-grants"] as DbGrantsFacts | undefined;
      return seen?.observed ? seen.checks : [{ name: "grants", ok: false, detail: "not read: the DB admin credentials are needed to read the grants back" }];
    },

    async verifyMore(ctx) {
      const password = ctx.secrets.dbAdminPassword;
      try {
        const conn = await connect(ctx.settings, ctx.facts, ctx.secrets, ctx.signal, ctx.log);
        try {
          const check = await iamTokenLoginCheck({ target: conn.target, iamDbUser: ctx.settings.iamDbUser, region: ctx.settings.region, getToken: options.getToken });
          return [{ ...check, detail: scrubSecrets(check.detail, [password]) }];
        } finally {
          await conn.close();
        }
      } catch (error) {
        throw safeError(error, [password]);
      }
    },
  };
}

export const dbGrantsStep: Step<DbGrantsFacts> = createDbGrantsStep();
