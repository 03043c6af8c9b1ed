// The plan's ownership warnings: what the membership cutover hands over when the owner is the RDS master user (and
// the narrower alternatives, each with its trade-off), and what REASSIGN moves and breaks until the Helm upgrade.
import { describe, expect, it } from "vitest";
import { ownershipWarnings, type OwnershipFacts } from "@/lib/postgres/ownership";
import { renderRollbackSql } from "@/lib/postgres/rollback";
import { testSettings } from "@/tests/support/settings";

const facts = (over: Partial<OwnershipFacts> = {}): OwnershipFacts => ({
  owner: "studio",
  exists: true,
  superuser: false,
  rdsSuperuser: false,
  databases: ["studio"],
  objectsHere: [],
  ...over,
});

describe("ownershipWarnings", () => {
  it("says nothing for a plain owner with membership", () => {
    expect(ownershipWarnings(testSettings({ originalDbOwner: "studio" }), facts(), { masterUsername: "master" })).toEqual([]);
  });

  it("warns that membership in the RDS master user hands over master powers, and offers the alternatives", () => {
    for (const [settings, f, options] of [
      [testSettings({ originalDbOwner: "master" }), null, { masterUsername: "master" }],
      [testSettings({ originalDbOwner: "studio" }), facts({ rdsSuperuser: true }), {}],
      [testSettings({ originalDbOwner: "postgres" }), null, {}],
    ] as const) {
      const [warning] = ownershipWarnings(settings, f, options);
      expect(warning.id).toBe("owner-is-administrative");
      expect(warning.message).toMatch(/hands studio_iam_user \(and every pod that can assume the RDS role\) the master user's powers/);
      expect(warning.alternatives!.map((a) => a.choice)).toEqual([
        "ownerAccess: grants-only",
        "by hand, then membership",
        "reassignOwned (maintenance window)",
      ]);
      for (const a of warning.alternatives!) expect(a.tradeOff.length).toBeGreaterThan(60);
    }
    // Choosing grants-only removes the master-powers warning and names its own cost instead.
    const [grantsOnly] = ownershipWarnings(testSettings({ originalDbOwner: "master", ownerAccess: "grants-only" }), null, { masterUsername: "master" });
    expect(grantsOnly.id).toBe("grants-only");
    expect(grantsOnly.message).toMatch(/fails with "must be owner"/);
  });

  it("names what REASSIGN moves, objects and databases, and what stops working until the Helm upgrade", () => {
    const settings = testSettings({ originalDbOwner: "studio", reassignOwned: true });
    const [exact] = ownershipWarnings(
      settings,
      facts({ databases: ["keycloak", "studio"], objectsHere: [{ kind: "sequences", count: 3 }, { kind: "tables", count: 1 }] }),
    );
    expect(exact.id).toBe("reassign-maintenance-window");
    expect(exact.message).toMatch(/^maintenance window: REASSIGN OWNED BY studio TO studio_iam_user moves 3 sequences, 1 table in studio and the databases keycloak, studio to studio_iam_user/);
    expect(exact.message).toMatch(/Until helm upgrade finishes, Studio still connects as studio: it keeps reading and writing/);
    expect(exact.message).toMatch(/migration job cannot alter or index the moved tables/);
    expect(exact.message).toMatch(/Keycloak, if it uses one of them as studio, cannot run its own schema migrations/);
    const [unknown] = ownershipWarnings(settings);
    expect(unknown.message).toMatch(/moves every object it owns in studio and every database it owns on the server \(refresh the plan with database credentials/);
  });

  it("says what is lost without an original owner", () => {
    expect(ownershipWarnings(testSettings())[0]).toMatchObject({ id: "no-original-owner" });
  });
});

describe("renderRollbackSql", () => {
  it("needs the original owner: without one, the IAM user's tables would be dropped", () => {
    expect(() => renderRollbackSql(testSettings())).toThrow(/^originalDbOwner is required for the rollback/);
  });

  it("reassigns, drops what the IAM user holds and the user itself, in one transaction", () => {
    const sql = renderRollbackSql(testSettings({ originalDbOwner: "studio" }), { environmentName: "staging" });
    expect(sql).toContain('REASSIGN OWNED BY "studio_iam_user" TO "studio";');
    expect(sql).toContain('DROP OWNED BY "studio_iam_user";');
    expect(sql).toContain('DROP ROLE "studio_iam_user";');
    expect(sql.indexOf("BEGIN;")).toBeLessThan(sql.indexOf("REASSIGN"));
    expect(sql.trimEnd().endsWith("COMMIT;")).toBe(true);
  });
});
