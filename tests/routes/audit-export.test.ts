// The audit log read a page at a time with filters, and its CSV export: signed-in users only, the filters
// applied, cells quoted and formula-looking values neutralised; settings changes audited with before and after.
import { describe, expect, it, vi } from "vitest";
import { routeDbPerTest } from "@/tests/support/route-db";

vi.mock("@/lib/db", () => import("@/tests/support/route-db").then((m) => m.dbModule));
const signedIn = vi.hoisted(() => ({ user: { id: "u1", username: "ada", role: "viewer" } as unknown }));
vi.mock("@/lib/auth/current", () => ({
  userOr401: async () => signedIn.user ?? Response.json({ error: "sign in required" }, { status: 401 }),
}));

const t = routeDbPerTest();

async function seed() {
  const env = await t.db.environment.create({ data: { name: "staging" } });
  const { audit } = await import("@/lib/audit");
  await audit("ada", "user.sign-in");
  await audit("=cmd|' /C calc'!A0", "user.sign-in-failed", null, { reason: "invalid" });
  await audit("bob", "action.refused", env.id, { refused: "applying a plan", role: "viewer" });
  return env;
}

describe("audit log", () => {
  it("pages newest first and filters by environment, user and action", async () => {
    const env = await seed();
    const { listAuditEvents, AUDIT_PAGE_SIZE, auditQuery } = await import("@/lib/audit");
    const all = await listAuditEvents({}, 1);
    expect(all.total).toBe(3);
    expect(all.events.map((e) => e.action)).toEqual(["action.refused", "user.sign-in-failed", "user.sign-in"]);
    expect((await listAuditEvents({ environmentId: env.id }, 1)).events.map((e) => e.actor)).toEqual(["bob"]);
    expect((await listAuditEvents({ actor: "ada" }, 1)).events.map((e) => e.action)).toEqual(["user.sign-in"]);
    expect((await listAuditEvents({ action: "user.sign-in-failed" }, 1)).total).toBe(1);
    for (let i = 0; i < AUDIT_PAGE_SIZE + 5; i++) await t.db.auditEvent.create({ data: { actor: "ada", action: "plan.refresh" } });
    const second = await listAuditEvents({ action: "plan.refresh" }, 2);
    expect(second).toMatchObject({ total: AUDIT_PAGE_SIZE + 5, pages: 2 });
    expect(second.events).toHaveLength(5);
    expect(AUDIT_PAGE_SIZE).toBeLessThanOrEqual(100);
    expect(auditQuery({ page: "-3", user: "ada" })).toEqual({ filter: { environmentId: undefined, actor: "ada", action: undefined }, page: 1 });
  });

  it("offers each user and action of the log once, sorted, as filter choices", async () => {
    const env = await seed();
    const { audit, auditFilterChoices } = await import("@/lib/audit");
    await audit("ada", "plan.refresh");
    expect(await auditFilterChoices()).toEqual({
      environments: [{ id: env.id, name: "staging" }],
      actors: ["=cmd|' /C calc'!A0", "ada", "bob"],
      actions: ["action.refused", "plan.refresh", "user.sign-in", "user.sign-in-failed"],
    });
  });

  it("exports the filtered entries as CSV for signed-in users; a formula-looking username is neutralised", async () => {
    await seed();
    const { GET } = await import("@/app/audit/export.csv/route");
    const res = await GET(new Request("http://console.test/audit/export.csv?action=user.sign-in-failed"));
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = (await res.text()).trim().split("\r\n");
    expect(rows[0]).toBe('"id","time (UTC)","user","action","environment","detail"');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(`"'=cmd|' /C calc'!A0","user.sign-in-failed","","{""reason"":""invalid""}"`);

    signedIn.user = null;
    expect((await GET(new Request("http://console.test/audit/export.csv"))).status).toBe(401);
    signedIn.user = { id: "u1", username: "ada", role: "viewer" };
  });

  it("a settings save is audited field by field with before and after; connection fields are left to their own event", async () => {
    const { settingsChanges } = await import("@/lib/audit");
    expect(settingsChanges(null, { region: "eu-west-1" })).toEqual([]);
    expect(
      settingsChanges(
        { region: "eu-west-1", bucketName: "a", dbTls: "verify-full", schemas: ["public"] },
        { region: "eu-west-1", bucketName: "b", dbTls: "disable", schemas: ["public", "app"], releaseName: "studio" },
      ),
    ).toEqual([
      { field: "bucketName", before: "a", after: "b" },
      { field: "releaseName", before: "(not set)", after: "studio" },
      { field: "schemas", before: '["public"]', after: '["public","app"]' },
    ]);
  });
});
