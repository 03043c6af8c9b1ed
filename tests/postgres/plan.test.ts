// The plan view of db-grants: the exact statements, in order, with their why and the warnings.
import { describe, expect, it } from "vitest";
import { buildGrantPlan } from "@/lib/postgres/statements";
import { DB_GRANTS_TITLE, dbGrantsStep } from "@/lib/steps/db-grants";
import type { Facts } from "@/lib/steps/types";
import { testSettings } from "@/tests/support/settings";

/** The facts the grants' plan reads: discovery's database (for its engine) and no DB credentials. */
function observed(engine: string): Facts {
  return {
    discover: {
      cluster: null,
      database: {
        kind: "instance",
        identifier: "studio-db",
        engine,
        endpoint: "studio.abc.eu-west-1.rds.amazonaws.com",
        port: 5432,
        resourceId: "db-ABC",
        iamAuthEnabled: true,
        status: "available",
        pendingModifications: [],
      },
    },
  };
}

describe("db-grants plan", () => {
  it("is the step after rds-iam-auth, titled in the guide's words", () => {
    expect(dbGrantsStep.key).toBe("db-grants");
    expect(dbGrantsStep.dependsOn).toEqual(["discover", "rds-iam-auth"]);
    expect(dbGrantsStep.title).toBe(DB_GRANTS_TITLE);
  });

  it("lists the guide's statements in order, with the defaults (studio_iam_user, public, default privileges)", () => {
    const rows = dbGrantsStep.changes(observed("postgres"), testSettings());
    expect(rows.every((r) => r.step === "db-grants" && r.call === "sql" && r.language === "sql" && r.reason)).toBe(true);
    // Without DB credentials the plan cannot read the grants: each statement is decided when applied.
    expect(new Set(rows.map((r) => r.action))).toEqual(new Set(["deferred"]));
    // Without the original owner the IAM user gets table privileges only: said before anything runs.
    expect(dbGrantsStep.warnings!(observed("postgres"), testSettings())).toEqual([
      expect.stringMatching(/^without the original database user \(originalDbOwner\) studio_iam_user gets table privileges only/),
    ]);
    // The refusal checks run first, read-only; the plan shows their SQL.
    expect(dbGrantsStep.reads!(testSettings())[0].document).toMatch(/-- not-the-admin/);
    const sql = rows.map((r) => r.document!.split("\n").at(-1));
    expect(sql).toEqual([
      'CREATE ROLE "studio_iam_user" WITH LOGIN;',
      'GRANT "rds_iam" TO "studio_iam_user";',
      'GRANT "studio_iam_user" TO CURRENT_USER;',
      'GRANT ALL PRIVILEGES ON DATABASE "studio" TO "studio_iam_user";',
      'GRANT ALL ON SCHEMA "public" TO "studio_iam_user";',
      'GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA "public" TO "studio_iam_user";',
      'GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA "public" TO "studio_iam_user";',
      'ALTER DEFAULT PRIVILEGES FOR ROLE CURRENT_USER IN SCHEMA "public" GRANT ALL ON TABLES TO "studio_iam_user";',
      'ALTER DEFAULT PRIVILEGES FOR ROLE CURRENT_USER IN SCHEMA "public" GRANT ALL ON SEQUENCES TO "studio_iam_user";',
      'REVOKE "studio_iam_user" FROM CURRENT_USER;',
    ]);
    expect(rows[0].document).toBe(
      "-- only when: NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'studio_iam_user'::name)\nCREATE ROLE \"studio_iam_user\" WITH LOGIN;",
    );
    // The temporary membership counts with the grants it serves, not as a change of its own.
    expect(rows.filter((r) => r.serves).map((r) => r.id)).toEqual(["db-grants:iam-user-membership", "db-grants:revoke-iam-user-membership"]);
  });

  it("with REASSIGN chosen: borrows both roles for the transaction, reassigns, and warns", () => {
    const risky = testSettings({ originalDbOwner: "studio_owner", reassignOwned: true, dbTls: "disable", schemas: ["public", "app"] });
    const rows = dbGrantsStep.changes(observed("mysql"), risky);
    const ids = buildGrantPlan(testSettings({ originalDbOwner: "studio_owner", reassignOwned: true, schemas: ["public", "app"] })).statements.map(
      (s) => s.id,
    );
    expect(ids).toEqual([
      "create-user",
      "grant-rds-iam",
      "owner-membership",
      "iam-user-membership",
      "grant-database",
      "grant-schema:public",
      "grant-tables:public",
      "grant-sequences:public",
      "default-tables:public",
      "default-sequences:public",
      "default-back-tables:public",
      "default-back-sequences:public",
      "grant-schema:app",
      "grant-tables:app",
      "grant-sequences:app",
      "default-tables:app",
      "default-sequences:app",
      "default-back-tables:app",
      "default-back-sequences:app",
      "reassign-owned",
      "grant-back-tables:public",
      "grant-back-sequences:public",
      "grant-back-tables:app",
      "grant-back-sequences:app",
      "revoke-iam-user-membership",
      "revoke-owner-membership",
    ]);
    const warnings = dbGrantsStep.warnings!(observed("mysql"), risky);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/engine is mysql, not RDS for PostgreSQL or Aurora PostgreSQL/);
    expect(warnings[1]).toMatch(/^TLS is disabled/);
    expect(warnings[2]).toMatch(/^maintenance window: REASSIGN OWNED BY studio_owner TO studio_iam_user moves every object it owns/);
    const reassign = rows.find((r) => r.document?.includes("REASSIGN OWNED"))!;
    expect(reassign.document).toBe('REASSIGN OWNED BY "studio_owner" TO "studio_iam_user";');
    expect(reassign.warnings).toEqual([warnings[2]]);
  });

  it("accepts Aurora PostgreSQL without an engine warning", () => {
    const settings = testSettings({ originalDbOwner: "studio_owner" });
    expect(dbGrantsStep.warnings!(observed("aurora-postgresql"), settings)).toEqual([]);
    expect(dbGrantsStep.warnings!(observed("mysql"), settings)).toEqual([expect.stringMatching(/engine is mysql/)]);
  });
});
