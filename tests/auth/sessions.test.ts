import { afterEach, describe, expect, it } from "vitest";
import { closeSession, openSession, SESSION_TTL_MS, tokenDigest, userForCookie } from "@/lib/auth/sessions";
import { createUser } from "@/lib/auth/users";
import { openTestDb, type TestDb } from "../support/test-db";

const SECRET = "another-session-secret-long-enough-abcdefghijkl";
let t: TestDb | undefined;
afterEach(async () => t?.close());

describe("sessions", () => {
  it("a cookie finds its user until it expires (12 h) or is signed out", async () => {
    t = openTestDb();
    const user = await createUser(t.db, { username: "viewer1", password: "a-long-password-1", role: "viewer" });
    const now = Date.now();
    const { value, expiresAt } = await openSession(t.db, user.id, SECRET, now);
    expect(expiresAt.getTime() - now).toBe(SESSION_TTL_MS);
    expect(SESSION_TTL_MS).toBe(12 * 3600 * 1000);
    expect(await userForCookie(t.db, value, SECRET, now + 1000)).toEqual({ id: user.id, username: "viewer1", role: "viewer", mustChangePassword: false });
    expect(await userForCookie(t.db, value, SECRET, now + SESSION_TTL_MS + 1)).toBeNull();

    await closeSession(t.db, value, SECRET);
    expect(await userForCookie(t.db, value, SECRET, now + 1000)).toBeNull();
  });

  it("the stored row decides too: an expiry shortened in the job store, or a disabled user, ends the session", async () => {
    t = openTestDb();
    const user = await createUser(t.db, { username: "viewer2", password: "a-long-password-3", role: "viewer" });
    const now = Date.now();
    const { value } = await openSession(t.db, user.id, SECRET, now);
    await t.db.session.updateMany({ data: { expiresAt: new Date(now + 60_000) } });
    expect(await userForCookie(t.db, value, SECRET, now + 59_000)).toMatchObject({ id: user.id });
    expect(await userForCookie(t.db, value, SECRET, now + 61_000)).toBeNull();
    await t.db.session.updateMany({ data: { expiresAt: new Date(now + SESSION_TTL_MS) } });
    await t.db.user.update({ where: { id: user.id }, data: { disabledAt: new Date(now) } });
    expect(await userForCookie(t.db, value, SECRET, now + 1000)).toBeNull();
  });

  it("stores only a digest of the token, never the token or cookie", async () => {
    t = openTestDb();
    const user = await createUser(t.db, { username: "admin1", password: "a-long-password-2", role: "admin" });
    const { value } = await openSession(t.db, user.id, SECRET);
    const rows = await t.db.session.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(value);
    expect(tokenDigest("x")).not.toBe("x");
  });

  it("a role change takes effect on the next request", async () => {
    t = openTestDb();
    const user = await createUser(t.db, { username: "promoted", password: "a-long-password-3", role: "viewer" });
    const { value } = await openSession(t.db, user.id, SECRET);
    await t.db.user.update({ where: { id: user.id }, data: { role: "admin" } });
    expect((await userForCookie(t.db, value, SECRET))?.role).toBe("admin");
  });
});
