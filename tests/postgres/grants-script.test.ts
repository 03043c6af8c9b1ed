// "Download grants.sql": the script a DBA runs by hand. Proven by running it with psql itself, twice, then reading
// the grants back; and by a refusal inside it stopping everything.
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderGrantsSql } from "@/lib/postgres/grants-script";
import { readBackGrants } from "@/lib/postgres/verify";
import { catalogSnapshot, createFixture, PG_TEST_URL, psqlAsAdmin, runGrants, type Fixture } from "./support";

let fx: Fixture;
beforeEach(async () => {
  fx = await createFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

const psql = (sql: string, database?: string) => psqlAsAdmin(fx, sql, database);

async function readBack(settings: ReturnType<Fixture["settings"]>) {
  const c = await fx.db();
  try {
    await c.query(`SET ROLE ${pg.escapeIdentifier(fx.admin)}`);
    return await readBackGrants(c, settings);
  } finally {
    await c.end();
  }
}

describe("grants.sql", () => {
  it("runs with psql, twice, with the same result, and reads back complete", async () => {
    const settings = fx.settings({ reassignOwned: true });
    const sql = renderGrantsSql(settings, { environmentName: "staging", host: "studio.abc.eu-west-1.rds.amazonaws.com", port: 5432 });
    expect(sql).toContain("-v ON_ERROR_STOP=1 -f grants.sql");
    expect(sql).toMatch(/^BEGIN;$/m);
    expect(sql).toMatch(/^COMMIT;$/m);
    expect(sql).toContain(`-- RDS accepts IAM tokens (and only tokens) from members of rds_iam`);

    await psql(sql);
    const checks = await readBack(settings);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.some((c) => c.name.startsWith("ownership moved"))).toBe(true);

    const before = await catalogSnapshot(fx);
    await psql(sql);
    expect(await catalogSnapshot(fx)).toBe(before);
  });

  it("stops before any change when a check refuses (connected to the wrong database)", async () => {
    const settings = fx.settings();
    const before = await catalogSnapshot(fx);
    const error = await psql(renderGrantsSql(settings), new URL(PG_TEST_URL).pathname.slice(1) || "postgres").catch(
      (e: { stderr?: string }) => e,
    );
    expect((error as { stderr: string }).stderr).toMatch(/connected to database \w+, but the grants are for grants_test_/);
    expect(await catalogSnapshot(fx)).toBe(before);
  });

  it("keeps identifiers containing '$' inside their DO blocks", async () => {
    const iamUser = `iam$grants$${fx.suffix}`;
    fx.track(iamUser);
    const settings = fx.settings({ iamDbUser: iamUser, schemas: ["public"] });
    const sql = renderGrantsSql(settings);
    expect(sql).toContain("$grants1$");
    await psql(sql);
    const checks = await readBack(settings);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  });
});

describe("grants run by hand, then marked done by the grants step", () => {
  it("refuses to mark the step done until the read-back finds everything, then marks it without running a statement", async () => {
    const settings = fx.settings();
    const secrets = { dbAdminUser: fx.admin, dbAdminPassword: fx.adminPassword };

    // Before the DBA has run anything: refused, with what is still to do named, and nothing changed.
    const before = await catalogSnapshot(fx);
    const error = (await runGrants(settings, secrets, { verifyOnly: true }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^still to do: /);
    expect(error.message).toContain(`database user ${settings.iamDbUser}`);
    expect(await catalogSnapshot(fx)).toBe(before);

    // The DBA runs grants.sql; now every change reads unchanged, and the step ran no statement of its own.
    await psql(renderGrantsSql(settings));
    const afterScript = await catalogSnapshot(fx);
    const done = await runGrants(settings, secrets, { verifyOnly: true });
    expect(new Set(done.actions)).toEqual(new Set(["unchanged"]));
    expect(done.captured.logs.filter((l) => /^SQL: /.test(l.message))).toEqual([]);
    expect(await catalogSnapshot(fx)).toBe(afterScript);
  });
});
