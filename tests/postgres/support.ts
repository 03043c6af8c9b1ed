// A real PostgreSQL per test: its own database and its own roles (role names are cluster-wide, so each carries a
// random suffix), an RDS-like admin (LOGIN, CREATEROLE, CREATEDB, a real password, not a superuser) and an owner
// that created Studio's tables. Everything a fixture creates is dropped by cleanup().
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { connectAdmin, connectionTarget, type AdminConnection } from "@/lib/postgres/connect";
import { environmentSettingsSchema, type EnvironmentSettings } from "@/lib/config/environment";
import { awsClients } from "@/lib/aws/clients";
import { isMutation } from "@/lib/steps/change";
import { dbGrantsStep as realGrantsStep } from "@/lib/steps/db-grants";
import type { Check, ExecuteContext, Facts, LogLevel, RunSecrets, Step } from "@/lib/steps/types";

export const PG_TEST_URL = process.env.PG_TEST_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function testServer(): { host: string; port: number } {
  const url = new URL(PG_TEST_URL);
  return { host: url.hostname, port: Number(url.port || 5432) };
}

/** A superuser connection (the test URL's user) to the given database, or the URL's own. */
export async function superClient(database?: string): Promise<pg.Client> {
  const url = new URL(PG_TEST_URL);
  const client = new pg.Client({
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || "postgres"),
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: database ?? (url.pathname.slice(1) || "postgres"),
  });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

/**
 * RDS creates `rds_iam` when IAM authentication is enabled; here a NOLOGIN stand-in. Created once and left in
 * place: other test files running at the same time rely on it, so dropping it would race them.
 */
export async function ensureRdsIamStandIn(client: pg.Client): Promise<void> {
  const { rowCount } = await client.query("SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam'");
  if (rowCount) return;
  try {
    await client.query("CREATE ROLE rds_iam NOLOGIN");
  } catch (error) {
    // Another test file created it in between: duplicate_object, or unique_violation on the catalog index.
    const code = (error as { code?: string }).code;
    if (code !== "42710" && code !== "23505") throw error;
  }
}

export interface Fixture {
  suffix: string;
  database: string;
  admin: string;
  adminPassword: string;
  owner: string;
  iamUser: string;
  /** Valid settings for this fixture (TLS off: the test server has none), with overrides. */
  settings(overrides?: Partial<EnvironmentSettings>): EnvironmentSettings;
  /** A superuser connection to the fixture's database. */
  db(): Promise<pg.Client>;
  /** Extra roles a test created, dropped by cleanup. */
  track(role: string): void;
  cleanup(): Promise<void>;
}

/** A distinctive password with characters that change under URL or JSON encoding. */
export function distinctivePassword(): string {
  return `Adm1n-${randomBytes(12).toString("hex")}-p@ss:/?#&"'\\`;
}

export async function createFixture(): Promise<Fixture> {
  const suffix = randomBytes(5).toString("hex");
  const database = `grants_test_${suffix}`;
  const admin = `admin_${suffix}`;
  const owner = `owner_${suffix}`;
  const iamUser = `iam_${suffix}`;
  const adminPassword = distinctivePassword();
  const roles = [admin, owner, iamUser];
  const q = pg.escapeIdentifier;

  const root = await superClient();
  try {
    await ensureRdsIamStandIn(root);
    // Like the RDS master user: can create roles and databases, is not a superuser.
    await root.query(`CREATE ROLE ${q(admin)} LOGIN CREATEROLE CREATEDB PASSWORD ${pg.escapeLiteral(adminPassword)}`);
    await root.query(`CREATE ROLE ${q(owner)} LOGIN PASSWORD ${pg.escapeLiteral(`owner-${suffix}`)}`);
    await root.query(`CREATE DATABASE ${q(database)} OWNER ${q(owner)}`);
  } finally {
    await root.end();
  }
  const setup = await superClient(database);
  try {
    // Studio's tables, created by the owner (the password user Studio uses today).
    await setup.query(`SET ROLE ${q(owner)}`);
    await setup.query("CREATE TABLE public.projects (id serial PRIMARY KEY, name text NOT NULL)");
    await setup.query("CREATE TABLE public.assistants (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text)");
    await setup.query("CREATE VIEW public.project_names AS SELECT name FROM public.projects");
    await setup.query("CREATE SEQUENCE public.model_versions");
    await setup.query("CREATE SCHEMA app");
    await setup.query("CREATE TABLE app.models (id serial PRIMARY KEY, path text)");
    await setup.query("RESET ROLE");
  } finally {
    await setup.end();
  }

  const server = testServer();
  return {
    suffix,
    database,
    admin,
    adminPassword,
    owner,
    iamUser,
    settings(overrides = {}) {
      const base = environmentSettingsSchema.parse({
        name: "pgtest",
        region: "eu-west-1",
        clusterName: "studio-cluster",
        dbIdentifier: "studio-db",
        databaseName: database,
        iamDbUser: iamUser,
        schemas: ["public", "app"],
        originalDbOwner: owner,
        reassignOwned: false,
        defaultPrivileges: true,
        dbHostOverride: server.host,
        dbPortOverride: server.port,
        dbTls: "disable",
        bucketName: "studio-shared-storage-pgtest",
        storageSituation: "already-s3",
        rdsRoleName: "studio-pgtest-rds-role",
        s3RoleName: "studio-pgtest-s3-role",
      });
      return { ...base, ...overrides };
    },
    db: () => superClient(database),
    track: (role) => void roles.push(role),
    async cleanup() {
      const c = await superClient();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${q(database)} WITH (FORCE)`);
        for (const role of roles) await c.query(`DROP ROLE IF EXISTS ${q(role)}`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface Captured {
  logs: Array<{ level: LogLevel; message: string }>;
  progress: number[];
}

/** Where the grants connect: the fixture's settings carry a host/port override, so discovery found no endpoint. */
const NO_DISCOVERY: Facts = { discover: { cluster: null, database: null } };

function context(settings: EnvironmentSettings, facts: Facts, secrets: RunSecrets, captured: Captured, log?: ExecuteContext["log"]): ExecuteContext {
  const signal = new AbortController().signal;
  return {
    settings,
    facts,
    aws: awsClients(settings.region),
    cx: { signal },
    signal,
    secrets,
    log: log ?? (async (level, message) => void captured.logs.push({ level, message })),
    progress: async (fraction) => void captured.progress.push(fraction),
    checkpoint: async () => undefined,
  };
}

/**
 * The test server has no TLS, so the password goes without it: acknowledged as an admin would tick it in the apply
 * form, unless the test sets the acknowledgement itself (to prove the refusal).
 */
function overTestServer(secrets: RunSecrets): RunSecrets {
  return { acknowledgeUnverifiedTls: true, ...secrets };
}

/**
 * The grants step as the runner drives it: observed with the run's credentials, its changes computed, then (when
 * anything is left to do) executed together; `verifyOnly` succeeds only when nothing is left (grants run by hand).
 */
export async function runGrants(
  settings: EnvironmentSettings,
  secrets: RunSecrets,
  opts: { step?: Step; verifyOnly?: boolean; log?: ExecuteContext["log"] } = {},
): Promise<{ output: Record<string, unknown> | null; captured: Captured; actions: string[] }> {
  const step = opts.step ?? realGrantsStep;
  secrets = overTestServer(secrets);
  const captured: Captured = { logs: [], progress: [] };
  const ctx = context(settings, { ...NO_DISCOVERY }, secrets, captured, opts.log);
  ctx.facts[step.key] = await step.observe({ settings, facts: ctx.facts, aws: ctx.aws, cx: ctx.cx, read: (_k, load) => load(), secrets });
  const changes = step.changes(ctx.facts, settings);
  const todo = changes.filter((c) => isMutation(c) || c.action === "deferred");
  const actions = changes.map((c) => c.action);
  if (opts.verifyOnly) {
    if (todo.length) throw new Error(`still to do: ${todo.map((c) => `${c.resource} (${c.action})`).join("; ")}`);
    return { output: null, captured, actions };
  }
  if (!todo.length) return { output: null, captured, actions };
  const result = await step.executeAll!(todo, ctx);
  return { output: result.output ?? {}, captured, actions };
}

/** A verify run's checks of the grants step: the read-back from the facts, then the IAM token login. */
export async function verifyGrants(settings: EnvironmentSettings, secrets: RunSecrets, step: Step = realGrantsStep): Promise<Check[]> {
  secrets = overTestServer(secrets);
  const captured: Captured = { logs: [], progress: [] };
  const ctx = context(settings, { ...NO_DISCOVERY }, secrets, captured);
  ctx.facts[step.key] = await step.observe({ settings, facts: ctx.facts, aws: ctx.aws, cx: ctx.cx, read: (_k, load) => load(), secrets });
  return [...(step.verifyChecks?.(ctx.facts, settings) ?? []), ...((await step.verifyMore?.(ctx)) ?? [])];
}

/**
 * The catalog state the grants could touch, as JSON, restricted to this fixture's database and to roles whose name
 * contains its suffix (or rds_iam, with only this fixture's members: other test files grant it to theirs at the same
 * time).
 */
export async function catalogSnapshot(fixture: Fixture): Promise<string> {
  const c = await fixture.db();
  try {
    const { rows } = await c.query<{ snapshot: unknown }>(
      `WITH mine AS (SELECT oid, rolname FROM pg_roles WHERE strpos(rolname, $1) > 0 OR rolname = 'rds_iam')
       SELECT json_build_object(
         'roles', (SELECT json_agg(json_build_object('name', r.rolname, 'login', r.rolcanlogin, 'super', r.rolsuper,
                     'createrole', r.rolcreaterole) ORDER BY r.rolname) FROM pg_roles r JOIN mine USING (oid)),
         'members', (SELECT json_agg(json_build_object('role', m.roleid::regrole::text, 'member', m.member::regrole::text,
                     'admin', m.admin_option) ORDER BY m.roleid::regrole::text, m.member::regrole::text) FROM pg_auth_members m
                     WHERE m.roleid IN (SELECT oid FROM mine) AND m.member IN (SELECT oid FROM mine)),
         'database', (SELECT json_build_object('owner', datdba::regrole::text, 'acl', datacl::text)
                     FROM pg_database WHERE datname = current_database()),
         'namespaces', (SELECT json_agg(json_build_object('name', nspname, 'owner', nspowner::regrole::text,
                     'acl', nspacl::text) ORDER BY nspname) FROM pg_namespace),
         'relations', (SELECT json_agg(json_build_object('name', c.oid::regclass::text, 'owner', c.relowner::regrole::text,
                     'acl', c.relacl::text) ORDER BY c.oid::regclass::text) FROM pg_class c
                     JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'),
         'defaults', (SELECT json_agg(json_build_object('role', defaclrole::regrole::text, 'schema', defaclnamespace,
                     'type', defaclobjtype, 'acl', defaclacl::text) ORDER BY defaclrole, defaclnamespace, defaclobjtype)
                     FROM pg_default_acl)
       ) AS snapshot`,
      [fixture.suffix],
    );
    return JSON.stringify(rows[0].snapshot, null, 1);
  } finally {
    await c.end();
  }
}

const run = promisify(execFile);

/** psql as the fixture's admin, with the password in the environment as a DBA would (PGPASSWORD). */
export async function psqlAsAdmin(fixture: Fixture, sql: string, database = fixture.database) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "grants-sql-")), "script.sql");
  fs.writeFileSync(file, sql);
  const { host, port } = testServer();
  try {
    return await run("psql", ["-X", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", String(port), "-U", fixture.admin, "-d", database, "-f", file], {
      env: { ...process.env, PGPASSWORD: fixture.adminPassword, PGCONNECT_TIMEOUT: "10" },
    });
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/**
 * The fixture's admin connected the way the console connects (connectAdmin). The test server has no TLS, so the
 * password goes without it: acknowledged here exactly as an admin would in the apply form.
 */
export async function adminConnection(fixture: Fixture): Promise<AdminConnection> {
  return connectAdmin(
    {
      target: connectionTarget(fixture.settings()),
      credentials: { user: fixture.admin, password: fixture.adminPassword },
      acknowledgeUnverifiedTls: true,
    },
    () => undefined,
  );
}
