// Hostile identifiers are refused before any SQL runs: no connection, no query, and the database unchanged.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { EnvironmentSettings } from "@/lib/config/environment";
import { renderGrantsSql } from "@/lib/postgres/grants-script";
import { IdentifierError } from "@/lib/postgres/identifiers";
import { dbGrantsStep } from "@/lib/steps/db-grants";
import { buildPlan } from "@/lib/steps/plan";
import { catalogSnapshot, createFixture, runGrants, type Fixture } from "./support";

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await fx.cleanup();
});

// Each carries the fixture's suffix, so a role or schema it managed to create would show in the snapshot.
function hostile(s: string): Array<[string, string]> {
  return [
    ["double quote", `iam_${s}"; DROP ROLE postgres; --`],
    ["single quote", `iam_${s}'`],
    ["semicolon", `iam_${s};`],
    ["comment", `iam_${s}--`],
    ["space", `iam ${s}`],
    ["Cyrillic look-alike а", `i\u0430m_${s}`],
    ["64 characters", `iam_${s}`.padEnd(64, "x")],
    ["empty", ""],
    ["NUL byte", `iam_${s}\u0000`],
    ["leading digit", `1iam_${s}`],
  ];
}

const FIELDS = ["iamDbUser", "databaseName", "schemas", "originalDbOwner"] as const;

function withHostile(base: EnvironmentSettings, field: (typeof FIELDS)[number], value: string): EnvironmentSettings {
  return field === "schemas" ? { ...base, schemas: ["public", value] } : { ...base, [field]: value };
}

describe("hostile identifiers", () => {
  it("are refused with the field and the rule, before any connection or query, and change nothing", async () => {
    const connect = vi.spyOn(pg.Client.prototype, "connect");
    const query = vi.spyOn(pg.Client.prototype, "query");
    const before = await catalogSnapshot(fx);
    connect.mockClear();
    query.mockClear();

    for (const field of FIELDS)
      for (const [label, value] of hostile(fx.suffix)) {
        const settings = withHostile(fx.settings(), field, value);
        const logs: string[] = [];
        const error = (await runGrants(
          settings,
          { dbAdminUser: fx.admin, dbAdminPassword: fx.adminPassword },
          { log: async (_l, m) => void logs.push(m) },
        ).catch((e: unknown) => e)) as Error;
        const fieldName = field === "schemas" ? "schemas[1]" : field;
        expect(error.name, `${field} ${label}`).toBe("IdentifierError");
        expect(error.message.startsWith(`${fieldName} must`), `${field} ${label}: ${error.message}`).toBe(true);
        expect(logs, `${field} ${label}`).toEqual([]);
        // The plan and the downloadable script refuse too: the plan as a blocker of the grants step.
        expect(() => dbGrantsStep.changes({}, settings)).toThrow(IdentifierError);
        expect(buildPlan(settings, {}).steps.find((st) => st.key === "db-grants")!.blockers[0]).toMatch(new RegExp(`^${fieldName.replace(/[[\]]/g, "\\$&")} must`));
        expect(() => renderGrantsSql(settings)).toThrow(IdentifierError);
      }

    expect(connect).not.toHaveBeenCalled();
    expect(query).not.toHaveBeenCalled();
    connect.mockRestore();
    query.mockRestore();
    expect(await catalogSnapshot(fx)).toBe(before);
  });

  it("name the rule that was broken", () => {
    const s = fx.settings();
    const messageFor = (value: string) => {
      try {
        renderGrantsSql({ ...s, iamDbUser: value });
      } catch (e) {
        return (e as Error).message;
      }
      return "accepted";
    };
    expect(messageFor("")).toBe("iamDbUser must not be empty");
    expect(messageFor("a".repeat(64))).toBe("iamDbUser must be at most 63 characters (PostgreSQL truncates longer names)");
    expect(messageFor("a;b")).toBe("iamDbUser must start with a letter or '_' and contain only ASCII letters, digits, '_' or '$'");
    expect(messageFor("studio_\u0430dmin")).toMatch(/character 8 is U\+0430, not ASCII: a look-alike letter\?/);
    expect(messageFor("rds_iam")).toMatch(/^iamDbUser must not be a reserved role name/);
    expect(messageFor("pg_monitor")).toMatch(/^iamDbUser must not be a reserved role name/);
    expect(messageFor("a".repeat(63))).toBe("accepted");
  });

  it("(control) the same spies do see the connection and queries of a valid run", async () => {
    const connect = vi.spyOn(pg.Client.prototype, "connect");
    const query = vi.spyOn(pg.Client.prototype, "query");
    try {
      await runGrants(fx.settings(), { dbAdminUser: fx.admin, dbAdminPassword: fx.adminPassword });
      // One connection to read the grants, one to run them.
      expect(connect).toHaveBeenCalledTimes(2);
      expect(query.mock.calls.length).toBeGreaterThan(10);
    } finally {
      connect.mockRestore();
      query.mockRestore();
    }
  });
});
