// The db-grants step against a real PostgreSQL: fresh grants and read-back, a repeat run that changes nothing,
// REASSIGN OWNED, default privileges for a table the owner creates later, and the refusals.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { createDbGrantsStep } from "@/lib/steps/db-grants";
import { GrantRefusedError } from "@/lib/postgres/apply";
import { catalogSnapshot, createFixture, runGrants, verifyGrants, type Fixture } from "./support";

let fx: Fixture;
beforeEach(async () => {
  fx = await createFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

const secrets = () => ({ dbAdminUser: fx.admin, dbAdminPassword: fx.adminPassword });

async function query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const c = await fx.db();
  try {
    return (await c.query<R>(text, values)).rows;
  } finally {
    await c.end();
  }
}

describe("db-grants against PostgreSQL", () => {
  it("creates the IAM user, grants rds_iam and every privilege, and reads them back", async () => {
    const { output, captured, actions } = await runGrants(fx.settings(), secrets());

    // Read with the credentials first: every statement had something to do.
    expect(new Set(actions)).toEqual(new Set(["create", "update"]));
    expect(output).toMatchObject({ reassigned: false, changed: true });
    const [role] = await query<{ rolcanlogin: boolean; rolsuper: boolean }>(
      "SELECT rolcanlogin, rolsuper FROM pg_roles WHERE rolname = $1",
      [fx.iamUser],
    );
    expect(role).toEqual({ rolcanlogin: true, rolsuper: false });
    const [{ member }] = await query<{ member: boolean }>("SELECT pg_has_role($1, 'rds_iam', 'MEMBER') AS member", [fx.iamUser]);
    expect(member).toBe(true);
    // The IAM user can use every existing table and sequence, in both schemas.
    const [{ insert, nextval, appSelect }] = await query<{ insert: boolean; nextval: boolean; appSelect: boolean }>(
      `SELECT has_table_privilege($1, 'public.assistants', 'INSERT') AS insert,
              has_sequence_privilege($1, 'public.projects_id_seq', 'USAGE') AS nextval,
              has_table_privilege($1, 'app.models', 'SELECT') AS "appSelect"`,
      [fx.iamUser],
    );
    expect({ insert, nextval, appSelect }).toEqual({ insert: true, nextval: true, appSelect: true });
    // The admin's temporary membership in the owner was revoked before COMMIT.
    const [{ adminMember }] = await query<{ adminMember: boolean }>(
      "SELECT pg_has_role($1, $2, 'MEMBER') AS \"adminMember\"",
      [fx.admin, fx.owner],
    );
    expect(adminMember).toBe(false);

    const checks = await verifyGrants(fx.settings(), secrets());
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    const names = checks.map((c) => c.name);
    expect(names).toContain(`rds_iam membership of ${fx.iamUser}`);
    expect(names).toContain("privileges on all tables in schema app");
    expect(names).toContain(`default privileges on tables ${fx.owner} creates in schema public`);
    const login = checks.find((c) => c.name.startsWith(`IAM token login as ${fx.iamUser} (database side`))!;
    expect(login.detail).toMatch(/^not possible here: the database is reached through a host\/port override/);
    // Every statement is in the log; the password in none of it.
    const text = captured.logs.map((l) => l.message).join("\n");
    expect(text).toContain(`SQL: CREATE ROLE "${fx.iamUser}" WITH LOGIN`);
    expect(text).toContain(`SQL: GRANT "rds_iam" TO "${fx.iamUser}"`);
    expect(text).toContain(`SQL: GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA "app" TO "${fx.iamUser}"`);
    expect(captured.logs.some((l) => l.level === "warn" && /TLS is disabled/.test(l.message))).toBe(true);
  });

  it("changes nothing and raises no error when run again: read first, every statement unchanged, none run", async () => {
    await runGrants(fx.settings(), secrets());
    const before = await catalogSnapshot(fx);

    const { output, captured, actions } = await runGrants(fx.settings(), secrets());

    expect(await catalogSnapshot(fx)).toBe(before);
    expect(new Set(actions)).toEqual(new Set(["unchanged"]));
    expect(output).toBeNull();
    expect(captured.logs.filter((l) => /^SQL: /.test(l.message) || l.level === "error")).toEqual([]);
  });

  it("REASSIGN OWNED moves ownership to the IAM user, and a repeat changes nothing", async () => {
    const settings = fx.settings({ reassignOwned: true });
    const { output, captured } = await runGrants(settings, secrets());
    expect(output?.reassigned).toBe(true);
    expect(captured.logs.map((l) => l.message)).toContain(`SQL: REASSIGN OWNED BY "${fx.owner}" TO "${fx.iamUser}"`);

    const owners = await query<{ name: string; owner: string }>(
      `SELECT c.oid::regclass::text AS name, c.relowner::regrole::text AS owner FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'app') ORDER BY 1`,
    );
    expect(owners.length).toBeGreaterThan(5);
    expect(owners.filter((o) => o.owner !== fx.iamUser)).toEqual([]);
    const [{ dbOwner, appOwner }] = await query<{ dbOwner: string; appOwner: string }>(
      `SELECT (SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()) AS "dbOwner",
              (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'app') AS "appOwner"`,
    );
    expect({ dbOwner, appOwner }).toEqual({ dbOwner: fx.iamUser, appOwner: fx.iamUser });
    // Neither temporary membership outlived the transaction: the admin is not (through the IAM user) in rds_iam.
    const [{ inIam, inRdsIam }] = await query<{ inIam: boolean; inRdsIam: boolean }>(
      `SELECT pg_has_role($1, $2, 'MEMBER') AS "inIam", pg_has_role($1, 'rds_iam', 'MEMBER') AS "inRdsIam"`,
      [fx.admin, fx.iamUser],
    );
    expect({ inIam, inRdsIam }).toEqual({ inIam: false, inRdsIam: false });

    const checks = await verifyGrants(settings, secrets());
    const ownership = checks.find((c) => c.name === `ownership moved from ${fx.owner} to ${fx.iamUser}`);
    expect(ownership).toMatchObject({ ok: true });
    expect(checks.filter((c) => !c.ok)).toEqual([]);

    const before = await catalogSnapshot(fx);
    const again = await runGrants(settings, secrets());
    expect(again.output).toBeNull();
    expect(await catalogSnapshot(fx)).toBe(before);
  });

  it("default privileges cover a table the owner creates afterwards", async () => {
    await runGrants(fx.settings(), secrets());
    const c = await fx.db();
    try {
      await c.query(`SET ROLE ${pg.escapeIdentifier(fx.owner)}`);
      await c.query("CREATE TABLE public.created_later (id serial PRIMARY KEY, v text)");
      await c.query("CREATE TABLE app.also_later (id int)");
      await c.query("RESET ROLE");
      const { rows } = await c.query<{ t: boolean; s: boolean; a: boolean }>(
        `SELECT has_table_privilege($1, 'public.created_later', 'INSERT') AS t,
                has_sequence_privilege($1, 'public.created_later_id_seq', 'USAGE') AS s,
                has_table_privilege($1, 'app.also_later', 'DELETE') AS a`,
        [fx.iamUser],
      );
      expect(rows[0]).toEqual({ t: true, s: true, a: true });
    } finally {
      await c.end();
    }
    const checks = await verifyGrants(fx.settings(), secrets());
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("without default privileges or owner membership, read-back reports each table the IAM user cannot use", async () => {
    // With membership (the default) the IAM user holds the owner's privileges on every table it creates.
    const settings = () => fx.settings({ defaultPrivileges: false, ownerAccess: "grants-only" });
    await runGrants(settings(), secrets());
    const c = await fx.db();
    try {
      await c.query(`SET ROLE ${pg.escapeIdentifier(fx.owner)}`);
      await c.query("CREATE TABLE public.not_covered (id int)");
    } finally {
      await c.end();
    }
    const checks = await verifyGrants(settings(), secrets());
    const tables = checks.find((c) => c.name === "privileges on all tables in schema public")!;
    expect(tables.ok).toBe(false);
    expect(tables.detail).toContain("public.not_covered (SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER)");
    expect(tables.detail).toMatch(/missing on 1 of 4 tables/);
  });

  it("without originalDbOwner, default privileges are for the connecting admin's future objects", async () => {
    // The admin already holds the owner's privileges (as an RDS master user that created Studio's user might).
    const c = await fx.db();
    try {
      await c.query(`GRANT ${pg.escapeIdentifier(fx.owner)} TO ${pg.escapeIdentifier(fx.admin)}`);
    } finally {
      await c.end();
    }
    const settings = fx.settings({ originalDbOwner: undefined });
    const { captured } = await runGrants(settings, secrets());
    expect(captured.logs.map((l) => l.message)).toContain(
      `SQL: ALTER DEFAULT PRIVILEGES FOR ROLE CURRENT_USER IN SCHEMA "public" GRANT ALL ON TABLES TO "${fx.iamUser}"`,
    );
    const later = await fx.db();
    try {
      await later.query(`SET ROLE ${pg.escapeIdentifier(fx.admin)}`);
      await later.query("CREATE TABLE app.made_by_admin (id serial)");
      await later.query("RESET ROLE");
      const { rows } = await later.query<{ ok: boolean }>("SELECT has_table_privilege($1, 'app.made_by_admin', 'UPDATE') AS ok", [
        fx.iamUser,
      ]);
      expect(rows[0].ok).toBe(true);
    } finally {
      await later.end();
    }
    const checks = await verifyGrants(settings, secrets());
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.name)).toContain(`default privileges on tables ${fx.admin} creates in schema app`);
  });

  it("without originalDbOwner, an admin that cannot grant on the owner's tables gets a clear error and nothing changes", async () => {
    const before = await catalogSnapshot(fx);
    const error = (await runGrants(fx.settings({ originalDbOwner: undefined }), secrets()).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe("GrantStatementError");
    expect(error.message).toMatch(/^GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA "public" TO "iam_\w+" failed: permission denied for table/);
    expect(error.message).toMatch(/set originalDbOwner so the console can borrow them/);
    expect(await catalogSnapshot(fx)).toBe(before);
  });

  it("refuses, before any change, when the rds_iam role does not exist", async () => {
    // rds_iam is cluster-wide and other tests need the stand-in, so this test points the code at a role name that
    // does not exist (GrantOptions.rdsIamRole) instead of dropping it.
    const step = createDbGrantsStep({ rdsIamRole: `rds_iam_absent_${fx.suffix}` });
    const before = await catalogSnapshot(fx);
    const error = await runGrants(fx.settings(), secrets(), { step }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /role does not exist: IAM authentication is not enabled yet, or this is not an RDS database/,
    );
    expect(await catalogSnapshot(fx)).toBe(before);
  });

  it("refuses to grant rds_iam to a user the original owner or the admin is a member of", async () => {
    const c = await fx.db();
    try {
      await c.query(`CREATE ROLE ${pg.escapeIdentifier(fx.iamUser)} LOGIN`);
      await c.query(`GRANT ${pg.escapeIdentifier(fx.iamUser)} TO ${pg.escapeIdentifier(fx.owner)}`);
    } finally {
      await c.end();
    }
    const before = await catalogSnapshot(fx);
    const error = (await runGrants(fx.settings(), secrets()).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(`these login roles are members of it and would inherit rds_iam: ${fx.owner}`);
    expect(error.message).toContain("Keycloak and anything else using this user's password would be locked out");
    expect(await catalogSnapshot(fx)).toBe(before);
  });

  it("refuses an IAM user that is the original owner, or the admin itself", async () => {
    const sameAsOwner = fx.settings({ iamDbUser: fx.owner });
    const e1 = (await runGrants(sameAsOwner, secrets()).catch((e: unknown) => e)) as Error;
    expect(e1.message).toMatch(/^iamDbUser must differ from originalDbOwner: a member of rds_iam can only log in with IAM tokens/);

    const before = await catalogSnapshot(fx);
    const sameAsAdmin = fx.settings({ iamDbUser: fx.admin });
    const e2 = (await runGrants(sameAsAdmin, secrets()).catch((e: unknown) => e)) as Error;
    expect(e2.name).toBe(new GrantRefusedError("x", "y").name);
    expect(e2.message).toContain(`refusing to grant rds_iam to ${fx.admin}, the user running these grants`);
    expect(await catalogSnapshot(fx)).toBe(before);
  });

  it("refuses to make an existing password user (owner of the database) the IAM user, even without originalDbOwner", async () => {
    const before = await catalogSnapshot(fx);
    const settings = fx.settings({ iamDbUser: fx.owner, originalDbOwner: undefined, reassignOwned: false });
    const error = (await runGrants(settings, secrets()).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe("GrantRefusedError");
    expect(error.message).toContain(`refusing to grant rds_iam to ${fx.owner}: it already exists and owns the database or objects in it`);
    expect(error.message).toContain("Keycloak and anything else using this user's password would be locked out");
    expect(await catalogSnapshot(fx)).toBe(before);
  });

  it("fails with an explanation when the admin password is absent, without connecting", async () => {
    const logs: string[] = [];
    await expect(runGrants(fx.settings(), { dbAdminUser: fx.admin }, { log: async (_l, m) => void logs.push(m) })).rejects.toThrow(
      "the DB admin password is needed: it is asked for when the run starts and never stored",
    );
    expect(logs.filter((m) => /connecting/.test(m))).toEqual([]);
  });
});
