// The cutover on a real PostgreSQL, as issue 10 lists it: after the grants the IAM user can alter, index and create
// in every chosen schema (Studio's migrations keep working), the original user still reads and writes everything,
// a second apply changes nothing and observe then shows every statement in place, the rollback SQL restores the
// state before the cutover, and REASSIGN refuses to move another database unless it is confirmed.
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyGrants, GrantRefusedError } from "@/lib/postgres/apply";
import type { EnvironmentSettings } from "@/lib/config/environment";
import { observeGrants } from "@/lib/postgres/observe";
import { renderRollbackSql } from "@/lib/postgres/rollback";
import { adminConnection, catalogSnapshot, createFixture, psqlAsAdmin, superClient, type Fixture } from "./support";

const q = pg.escapeIdentifier;

let fx: Fixture;
beforeEach(async () => {
  fx = await createFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

async function apply(settings: EnvironmentSettings = fx.settings()) {
  const conn = await adminConnection(fx);
  try {
    return await applyGrants(conn.client, settings, { log: () => undefined });
  } finally {
    await conn.close();
  }
}

async function observe(settings: EnvironmentSettings = fx.settings()) {
  const conn = await adminConnection(fx);
  try {
    return await observeGrants(conn.client, settings);
  } finally {
    await conn.close();
  }
}

/** Runs statements as one role on a superuser connection to the fixture's database (SET ROLE, as the issue says). */
async function asRole<T>(role: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await fx.db();
  try {
    await c.query(`SET ROLE ${q(role)}`);
    return await work(c);
  } finally {
    await c.end();
  }
}

/**
 * Effective privileges and ownership, as JSON: like catalogSnapshot, but an ACL left at its default (NULL) and the
 * same ACL written out explicitly compare equal, since REVOKE leaves the explicit form behind.
 */
async function effectiveState(): Promise<string> {
  const c = await fx.db();
  try {
    const { rows } = await c.query<{ state: unknown }>(
      `WITH mine AS (SELECT oid, rolname FROM pg_roles WHERE strpos(rolname, $1) > 0)
       SELECT json_build_object(
         'roles', (SELECT json_agg(rolname ORDER BY rolname) FROM mine),
         'members', (SELECT json_agg(m.roleid::regrole::text || '>' || m.member::regrole::text ORDER BY 1) FROM pg_auth_members m
                     WHERE m.roleid IN (SELECT oid FROM mine) OR m.member IN (SELECT oid FROM mine)),
         'database', (SELECT json_build_object('owner', datdba::regrole::text,
                     'acl', ARRAY(SELECT x::text FROM unnest(coalesce(datacl, acldefault('d', datdba))) x ORDER BY 1))
                     FROM pg_database WHERE datname = current_database()),
         'databases', (SELECT json_agg(datname || ':' || datdba::regrole::text ORDER BY datname) FROM pg_database
                     WHERE datdba IN (SELECT oid FROM mine)),
         'namespaces', (SELECT json_agg(json_build_object('name', nspname, 'owner', nspowner::regrole::text,
                     'acl', ARRAY(SELECT x::text FROM unnest(coalesce(nspacl, acldefault('n', nspowner))) x ORDER BY 1)) ORDER BY nspname)
                     FROM pg_namespace WHERE nspname IN ('public', 'app')),
         'relations', (SELECT json_agg(json_build_object('name', c.oid::regclass::text, 'owner', c.relowner::regrole::text,
                     'acl', ARRAY(SELECT x::text FROM unnest(coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))) x ORDER BY 1))
                     ORDER BY c.oid::regclass::text) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname IN ('public', 'app') AND c.relkind IN ('r', 'p', 'v', 'm', 'S')),
         'defaults', (SELECT json_agg(defaclrole::regrole::text || ':' || defaclnamespace::regnamespace::text || ':' || defaclobjtype::text
                     || ':' || defaclacl::text ORDER BY 1) FROM pg_default_acl WHERE defaclrole IN (SELECT oid FROM mine))
       ) AS state`,
      [fx.suffix],
    );
    return JSON.stringify(rows[0].state, null, 1);
  } finally {
    await c.end();
  }
}

const SCHEMA_TABLES: Record<string, string> = { public: "public.projects", app: "app.models" };

describe("the cutover (owner membership, the default)", () => {
  it("lets the IAM user ALTER TABLE, CREATE INDEX and CREATE TABLE on the existing tables of every chosen schema", async () => {
    await apply();
    await asRole(fx.iamUser, async (c) => {
      for (const [schema, table] of Object.entries(SCHEMA_TABLES)) {
        await c.query(`ALTER TABLE ${table} ADD COLUMN migrated_at timestamptz`);
        await c.query(`CREATE INDEX ON ${table} (id)`);
        await c.query(`CREATE TABLE ${schema}.made_by_migration (id serial PRIMARY KEY, note text)`);
        await c.query(`INSERT INTO ${schema}.made_by_migration (note) VALUES ('new')`);
      }
      await c.query("ALTER TABLE public.assistants ALTER COLUMN body SET NOT NULL");
      const { rows } = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_indexes WHERE indexname LIKE '%id_idx'");
      expect(rows[0].n).toBe(2);
    });
  });

  it("keeps the original user reading and writing everything, including a table the IAM user creates afterwards", async () => {
    await apply();
    await asRole(fx.iamUser, async (c) => {
      await c.query("CREATE TABLE public.iam_made (id serial PRIMARY KEY, v text)");
      await c.query("CREATE TABLE app.iam_made (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text)");
      await c.query("INSERT INTO public.iam_made (v) VALUES ('by iam')");
    });
    await asRole(fx.owner, async (c) => {
      for (const table of ["public.projects", "public.assistants", "app.models", "public.iam_made", "app.iam_made"]) {
        const column = table.endsWith("assistants") ? "body" : table.endsWith("models") ? "path" : table.endsWith("projects") ? "name" : "v";
        await c.query(`INSERT INTO ${table} (${column}) VALUES ('by owner')`);
        await c.query(`UPDATE ${table} SET ${column} = 'changed' WHERE ${column} = 'by owner'`);
        const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = 'changed'`);
        expect(rows[0].n, table).toBe(1);
        await c.query(`DELETE FROM ${table} WHERE ${column} = 'changed'`);
      }
      await c.query("SELECT nextval('public.iam_made_id_seq')");
      await c.query("SELECT * FROM public.project_names");
    });
  });

  it("changes nothing when applied again, and observe then shows every statement in place", async () => {
    const before = await observe();
    expect(before.converged).toBe(false);
    expect(before.statements.find((s) => s.id === "create-user")).toMatchObject({ state: "needed" });
    expect(before.statements.find((s) => s.id === "owner-membership-of-iam-user")).toMatchObject({ state: "needed" });

    const first = await apply();
    expect(first.changed).toBe(true);
    const snapshot = await catalogSnapshot(fx);
    const observed = await observe();
    expect(observed.statements.filter((s) => s.state !== "in-place")).toEqual([]);
    expect(observed).toMatchObject({ converged: true, refusals: [] });
    // Observe is read-only.
    expect(await catalogSnapshot(fx)).toBe(snapshot);

    const second = await apply();
    expect(second.changed).toBe(false);
    expect(await catalogSnapshot(fx)).toBe(snapshot);
  });

  it("observe names the statements a drifted database needs again", async () => {
    await apply();
    const c = await fx.db();
    try {
      await c.query(`REVOKE ALL ON public.projects FROM ${q(fx.iamUser)}`);
      await c.query(`REVOKE ${q(fx.owner)} FROM ${q(fx.iamUser)}`);
    } finally {
      await c.end();
    }
    const observed = await observe();
    expect(observed.statements.filter((s) => s.state === "needed").map((s) => s.id)).toEqual([
      "owner-membership-of-iam-user",
      "grant-tables:public",
    ]);
    // The temporary memberships would come and go around them.
    expect(observed.statements.find((s) => s.id === "owner-membership")?.state).toBe("transient");
    expect(observed.converged).toBe(false);
  });

  it("observe reports what would refuse the apply instead of failing (IAM authentication not enabled yet)", async () => {
    const conn = await adminConnection(fx);
    try {
      const observed = await observeGrants(conn.client, fx.settings(), { rdsIamRole: `rds_iam_missing_${fx.suffix}` });
      expect(observed.refusals.map((r) => r.guard)).toEqual(["rds-iam-role"]);
      expect(observed.refusals[0].message).toMatch(/IAM authentication is not enabled yet/);
      expect(observed.converged).toBe(false);
      expect(observed.statements.every((s) => s.state !== "in-place" || s.id === "create-user")).toBe(true);
    } finally {
      await conn.close();
    }
  });

  it("rollback SQL restores the state from before the cutover, and a second run changes nothing", async () => {
    const before = await effectiveState();
    await apply();
    expect(await effectiveState()).not.toBe(before);
    const rollback = renderRollbackSql(fx.settings());
    await psqlAsAdmin(fx, rollback);
    expect(await effectiveState()).toBe(before);
    await psqlAsAdmin(fx, rollback);
    expect(await effectiveState()).toBe(before);
  });

  it("rollback SQL gives the tables the IAM user created to the original user", async () => {
    await apply();
    await asRole(fx.iamUser, (c) => c.query("CREATE TABLE app.iam_made (id serial PRIMARY KEY, v text)"));
    await psqlAsAdmin(fx, renderRollbackSql(fx.settings()));
    const c = await fx.db();
    try {
      const { rows } = await c.query<{ owner: string; roles: number }>(
        `SELECT (SELECT relowner::regrole::text FROM pg_class WHERE oid = 'app.iam_made'::regclass) AS owner,
                (SELECT count(*)::int FROM pg_roles WHERE rolname = $1) AS roles`,
        [fx.iamUser],
      );
      expect(rows[0]).toEqual({ owner: fx.owner, roles: 0 });
    } finally {
      await c.end();
    }
    await asRole(fx.owner, (c) => c.query("INSERT INTO app.iam_made (v) VALUES ('still mine')"));
  });
});

describe("REASSIGN OWNED (an explicit choice)", () => {
  async function ownerOwnsAnotherDatabase(): Promise<string> {
    const other = `keycloak_${fx.suffix}`;
    const c = await superClient();
    try {
      await c.query(`CREATE DATABASE ${q(other)} OWNER ${q(fx.owner)}`);
    } finally {
      await c.end();
    }
    return other;
  }

  async function dropDatabase(name: string) {
    const c = await superClient();
    try {
      await c.query(`DROP DATABASE IF EXISTS ${q(name)} WITH (FORCE)`);
    } finally {
      await c.end();
    }
  }

  it("refuses, changing nothing, when the owner owns another database, unless that database is confirmed", async () => {
    const other = await ownerOwnsAnotherDatabase();
    try {
      const before = await catalogSnapshot(fx);
      const error = await apply(fx.settings({ reassignOwned: true })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GrantRefusedError);
      expect(error).toMatchObject({ guard: "reassign-other-databases" });
      expect((error as Error).message).toMatch(new RegExp(`it owns the other database\\(s\\) ${other}, which would move to ${fx.iamUser} too`));
      expect(await catalogSnapshot(fx)).toBe(before);
      // The plan knows it before the apply too.
      const observed = await observe(fx.settings({ reassignOwned: true }));
      expect(observed.refusals.map((r) => r.guard)).toEqual(["reassign-other-databases"]);
      expect(observed.ownership).toMatchObject({ owner: fx.owner, databases: [fx.database, other].sort() });

      const confirmed = fx.settings({ reassignOwned: true, reassignConfirmDatabases: [other] });
      await apply(confirmed);
      const c = await fx.db();
      try {
        const { rows } = await c.query<{ datname: string; owner: string }>(
          "SELECT datname, datdba::regrole::text AS owner FROM pg_database WHERE datname IN ($1, $2) ORDER BY datname",
          [fx.database, other],
        );
        expect(rows.map((r) => r.owner)).toEqual([fx.iamUser, fx.iamUser]);
        const { rows: tables } = await c.query<{ owner: string }>("SELECT relowner::regrole::text AS owner FROM pg_class WHERE oid = 'public.projects'::regclass");
        expect(tables[0].owner).toBe(fx.iamUser);
      } finally {
        await c.end();
      }
      // The original user keeps reading and writing until the Helm upgrade.
      await asRole(fx.owner, (c) => c.query("INSERT INTO public.projects (name) VALUES ('during the window')"));
      expect((await observe(confirmed)).converged).toBe(true);
      expect((await apply(confirmed)).changed).toBe(false);

      // The rollback moves everything back, the other database included.
      await psqlAsAdmin(fx, renderRollbackSql(confirmed));
      const after = await fx.db();
      try {
        const { rows } = await after.query<{ owner: string }>(
          "SELECT datdba::regrole::text AS owner FROM pg_database WHERE datname IN ($1, $2) ORDER BY datname",
          [fx.database, other],
        );
        expect(rows.map((r) => r.owner)).toEqual([fx.owner, fx.owner]);
      } finally {
        await after.end();
      }
    } finally {
      await dropDatabase(other);
    }
  });
});

describe("rds_iam only for a new IAM user", () => {
  it("refuses a role that owns a database anywhere on the server", async () => {
    const other = `elsewhere_${fx.suffix}`;
    const role = `dbowner_${fx.suffix}`;
    fx.track(role);
    const c = await superClient();
    try {
      await c.query(`CREATE ROLE ${q(role)} LOGIN`);
      await c.query(`CREATE DATABASE ${q(other)} OWNER ${q(role)}`);
      const before = await catalogSnapshot(fx);
      const error = await apply(fx.settings({ iamDbUser: role })).catch((e: unknown) => e);
      expect(error).toMatchObject({ guard: "owns-a-database" });
      expect((error as Error).message).toContain(`it owns the database(s) ${other} on this server`);
      expect(await catalogSnapshot(fx)).toBe(before);
    } finally {
      await c.query(`DROP DATABASE IF EXISTS ${q(other)} WITH (FORCE)`);
      await c.end();
    }
  });

  it("refuses the RDS master user, postgres and rdsadmin before connecting", async () => {
    const conn = await adminConnection(fx);
    try {
      const log = () => undefined;
      await expect(applyGrants(conn.client, fx.settings({ iamDbUser: "studio_master" }), { log, masterUsername: "studio_master" })).rejects.toThrow(
        /^iamDbUser must not be the RDS master user \(studio_master\)/,
      );
      await expect(applyGrants(conn.client, fx.settings({ iamDbUser: "postgres" }), { log })).rejects.toThrow(/^iamDbUser must not be postgres/);
      await expect(applyGrants(conn.client, fx.settings({ iamDbUser: "rdsadmin" }), { log })).rejects.toThrow(/^iamDbUser must not be a reserved role name/);
    } finally {
      await conn.close();
    }
  });
});

describe("two environments on one database", () => {
  it("applied at the same time both succeed: grants are serialised per database", async () => {
    // Each apply pauses right before GRANT … ON DATABASE until the other one gets there too (or a while passes):
    // without serialisation both would update the database's catalog row at once and one would fail with
    // "tuple concurrently updated". With it, the second waits for the first to commit before it starts.
    const users = [`iam_a_${fx.suffix}`, `iam_b_${fx.suffix}`];
    users.forEach((u) => fx.track(u));
    // The admin already holds the owner's privileges (as a master user that created Studio's user would), so the
    // two transactions share no temporary membership that would happen to serialise them.
    const setup = await fx.db();
    await setup.query(`GRANT ${q(fx.owner)} TO ${q(fx.admin)}`).finally(() => setup.end());
    const arrived = new Set<string>();
    const log = (user: string) => async (_level: string, message: string) => {
      if (!message.startsWith("SQL: GRANT ALL PRIVILEGES ON DATABASE")) return;
      arrived.add(user);
      for (let i = 0; i < 50 && arrived.size < 2; i++) await new Promise((r) => setTimeout(r, 20));
    };
    const results = await Promise.all(
      users.map(async (iamDbUser) => {
        const conn = await adminConnection(fx);
        try {
          return await applyGrants(conn.client, fx.settings({ iamDbUser }), { log: log(iamDbUser) });
        } finally {
          await conn.close();
        }
      }),
    );
    expect(results.map((r) => r.changed)).toEqual([true, true]);
    const c = await fx.db();
    try {
      const { rows } = await c.query<{ rolname: string }>(
        "SELECT rolname FROM pg_roles WHERE rolname = ANY($1) AND has_database_privilege(oid, current_database(), 'CREATE') ORDER BY 1",
        [users],
      );
      expect(rows.map((r) => r.rolname)).toEqual(users);
    } finally {
      await c.end();
    }
  });

  it("runs the grants again when another transaction updated the same catalog row meanwhile", async () => {
    // A DBA's transaction outside the console holds an update of the database's row; the console's GRANT waits
    // for it, then meets "tuple concurrently updated" when it commits, and the whole transaction runs again.
    const other = `other_${fx.suffix}`;
    fx.track(other);
    const blocker = await superClient(fx.database);
    const conn = await adminConnection(fx);
    const messages: string[] = [];
    try {
      await blocker.query(`CREATE ROLE ${q(other)}`);
      await blocker.query("BEGIN");
      await blocker.query(`GRANT TEMPORARY ON DATABASE ${q(fx.database)} TO ${q(other)}`);
      const pid = (await conn.client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
      const applying = applyGrants(conn.client, fx.settings(), { log: (_level, message) => void messages.push(message) });
      await waitUntil(async () => {
        const { rows } = await blocker.query<{ waiting: boolean }>(
          "SELECT coalesce((SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = $1), false) AS waiting",
          [pid],
        );
        return rows[0].waiting;
      });
      await blocker.query("COMMIT");
      const result = await applying;
      expect(result.changed).toBe(true);
      expect(messages.some((m) => /tuple concurrently updated.*running the grants again \(attempt 2 of 4\)/.test(m))).toBe(true);
    } finally {
      await blocker.query("ROLLBACK").catch(() => undefined);
      await blocker.end();
      await conn.close();
    }
  });
});

/** Polls a condition (a state of the server, not a duration) until it holds; gives up after ten seconds. */
async function waitUntil(condition: () => Promise<boolean>) {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("the condition never held");
}
