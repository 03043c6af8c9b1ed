import "server-only";
// Step `db-grants`: guide step 2.2-2.3, "Create IAM Database User" and "Grant Database Permissions", as the DB
// admin: the statements of lib/postgres/statements.ts, run together in one transaction (guards first), then a
// read-back. Observed when it runs (rds_iam exists once IAM authentication is on), with the credentials the run
// holds in memory; without them every statement is "decided when applied". The admin password is scrubbed from
// everything this step logs, stores or throws.
import type { EnvironmentSettings } from "../config/environment";
import { applyGrants } from "../postgres/apply";
import { connectAdmin } from "../postgres/connect";
import { inlineValues } from "../postgres/grants-script";
import { iamTokenLoginCheck, type TokenSource } from "../postgres/iam-login";
import type { GrantOptions } from "../postgres/identifiers";
import { safeError, scrubSecrets } from "../postgres/secret-scrub";
import { buildGrantPlan } from "../postgres/statements";
import { readBackGrants } from "../postgres/verify";
import { scopes } from "../policies/scopes";
import { change } from "./change";
import { discoverFacts } from "./discover";
import type { Change, Check, ExecuteContext, Facts, ObserveContext, RunSecrets, Step } from "./types";

export const DB_GRANTS_TITLE = "Create IAM database user and grant database permissions";

/** The engines these statements are for (RDS for PostgreSQL and Aurora PostgreSQL). */
const POSTGRES_ENGINES = new Set(["postgres", "aurora-postgresql"]);

/** What the grants look like now, read as the DB admin; `observed: false` without credentials. */
export type DbGrantsFacts = { observed: false } | { observed: true; checks: Check[] };

export interface DbGrantsStepOptions extends GrantOptions {
  /** Token source for the IAM login check (tests). */
  getToken?: TokenSource;
}

/** Warnings the plan shows before anything runs. */
export function dbGrantsWarnings(s: EnvironmentSettings, facts: Facts): string[] {
  const warnings: string[] = [];
  const engine = discoverFacts(facts).database?.engine;
  if (engine && !POSTGRES_ENGINES.has(engine))
    warnings.push(`the database engine is ${engine}, not RDS for PostgreSQL or Aurora PostgreSQL: these statements are PostgreSQL`);
  if (s.dbTls === "disable")
    warnings.push(
      "TLS is disabled for the database connection (dbTls: disable): the admin session is neither encrypted nor checked against the server's certificate",
    );
  if (s.reassignOwned && s.originalDbOwner)
    warnings.push(
      `REASSIGN OWNED BY ${s.originalDbOwner} gives ${s.iamDbUser} everything ${s.originalDbOwner} owns in ${s.databaseName} and every database ${s.originalDbOwner} owns on this server (Keycloak's too, if ${s.originalDbOwner} owns it); ${s.originalDbOwner} keeps its password login but no longer owns them`,
    );
  return warnings;
}

/** The admin connection of this run: discovery's endpoint (or the tunnel override) and the run's credentials. */
function connect(settings: EnvironmentSettings, facts: Facts, secrets: RunSecrets, signal: AbortSignal | undefined, log: ExecuteContext["log"]) {
  const db = discoverFacts(facts).database;
  return connectAdmin(
    { env: settings, outputs: { discover: { dbEndpoint: db?.endpoint ?? "", dbPort: db?.port ?? null } }, secrets, signal },
    (level, message) => log(level, scrubSecrets(message, [secrets.dbAdminPassword])),
  );
}

/** The statements as plan rows, in the order they run. */
function grantChanges(s: EnvironmentSettings, facts: Facts, options: GrantOptions): Change[] {
  const plan = buildGrantPlan(s, options);
  const seen = facts["db-grants"] as DbGrantsFacts | undefined;
  const inPlace = seen?.observed === true && seen.checks.every((c) => c.ok);
  const temporary = new Set(["owner-membership", "iam-user-membership", "revoke-iam-user-membership", "revoke-owner-membership"]);
  return plan.statements.map((st) =>
    change("db-grants", st.id, {
      action: !seen?.observed ? "deferred" : inPlace ? "unchanged" : st.action,
      call: "sql",
      resource: st.resource,
      reason: !seen?.observed ? `${st.why} (checked when applied: the plan had no database credentials)` : inPlace ? "in place" : st.why,
      document: `${st.onlyIf ? `-- only when: ${inlineValues(st.onlyIf.condition, st.onlyIf.values).replace(/\s+/g, " ")}\n` : ""}${st.sql};`,
      language: "sql",
      needs: [],
      ...(temporary.has(st.id) ? { serves: "db-grants:grant-database" } : {}),
      ...(st.id === "reassign-owned" ? { warnings: dbGrantsWarnings(s, facts).filter((w) => w.startsWith("REASSIGN")) } : {}),
      cli: (w) => w.note(`${st.sql};`),
    }),
  );
}

export function createDbGrantsStep(options: DbGrantsStepOptions = {}): Step<DbGrantsFacts> {
  const grantOptions: GrantOptions = { rdsIamRole: options.rdsIamRole };

  async function observe(ctx: ObserveContext): Promise<DbGrantsFacts> {
    if (!ctx.secrets.dbAdminPassword) return { observed: false };
    const password = ctx.secrets.dbAdminPassword;
    try {
      // Identifiers are refused here, before a connection exists.
      buildGrantPlan(ctx.settings, grantOptions);
      const conn = await connect(ctx.settings, ctx.facts, ctx.secrets, ctx.cx.signal, async () => undefined);
      try {
        return { observed: true, checks: await readBackGrants(conn.client, ctx.settings, grantOptions) };
      } finally {
        await conn.close();
      }
    } catch (error) {
      throw safeError(error, [password]);
    }
  }

  return {
    key: "db-grants",
    title: DB_GRANTS_TITLE,
    dependsOn: ["discover", "rds-iam-auth"],
    observeWhen: "execute",
    readsAfter: ["discover"],
    // The SQL needs no AWS call; the IAM token login check signs locally and logs in with rds-db:connect.
    permissions: [{ actions: ["rds-db:connect"], resources: scopes.dbUser }],
    observe,
    changes: (facts, s) => grantChanges(s, facts, grantOptions),
    warnings: (facts, s) => dbGrantsWarnings(s, facts),
    reads(s) {
      const plan = buildGrantPlan(s, grantOptions);
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
    verifyChecks(facts) {
      const seen = facts["db-grants"] as DbGrantsFacts | undefined;
      return seen?.observed ? seen.checks : [{ name: "grants", ok: false, detail: "not read: the DB admin credentials are needed to read the grants back" }];
    },

    async executeAll(_changes, ctx) {
      const password = ctx.secrets.dbAdminPassword;
      try {
        buildGrantPlan(ctx.settings, grantOptions);
        const conn = await connect(ctx.settings, ctx.facts, ctx.secrets, ctx.signal, ctx.log);
        try {
          await ctx.progress(0.2);
          const log = (level: "info" | "warn" | "error", message: string) => ctx.log(level, scrubSecrets(message, [password]));
          const applied = await applyGrants(conn.client, ctx.settings, { ...grantOptions, log });
          await ctx.progress(0.8);
          const checks = await readBackGrants(conn.client, ctx.settings, grantOptions);
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
