// Users and sessions over their life: case-insensitive names, own password change (other sessions end), an
// admin's reset (forced change at the next sign-in), disable, delete, end sessions, expired sessions purged,
// and a last-admin rule that holds under concurrent requests.
import { afterEach, describe, expect, it } from "vitest";
import { openSession, purgeExpiredSessions, tokenDigest, userForCookie } from "@/lib/auth/sessions";
import { unseal } from "@/lib/auth/seal";
import { checkCredentials } from "@/lib/auth/sign-in";
import { SignInThrottle } from "@/lib/auth/throttle";
import {
  changeOwnPassword,
  createUser,
  deleteUser,
  disableUser,
  enableUser,
  endSessions,
  findUserByName,
  LastAdminError,
  resetPassword,
  setRole,
  UsernameTakenError,
  WrongPasswordError,
} from "@/lib/auth/users";
import { openTestDb, type TestDb } from "../support/test-db";

const SECRET = "users-lifecycle-session-secret-0123456789abcdef";
let t: TestDb | undefined;
afterEach(async () => t?.close());

const freshThrottle = () => new SignInThrottle();
const digestOf = (cookie: string) => tokenDigest(unseal(cookie, SECRET)!.token);

describe("usernames", () => {
  it("are case-insensitive: one account per name whatever the case, found whatever the case", async () => {
    t = openTestDb();
    const ada = await createUser(t.db, { username: "Ada", password: "a-long-password-1", role: "admin" });
    await expect(createUser(t.db, { username: "ada", password: "a-long-password-2", role: "viewer" })).rejects.toBeInstanceOf(UsernameTakenError);
    await expect(createUser(t.db, { username: "ADA", password: "a-long-password-2", role: "viewer" })).rejects.toBeInstanceOf(UsernameTakenError);
    expect((await findUserByName(t.db, "aDA"))?.id).toBe(ada.id);
    expect(ada.username).toBe("Ada");
    expect(await checkCredentials(t.db, "ADA", "a-long-password-1", "10.0.0.1", freshThrottle())).toMatchObject({ ok: true, userId: ada.id });
  });
});

describe("the last admin", () => {
  it("cannot be demoted, disabled or deleted, even by two admins acting at the same moment", async () => {
    t = openTestDb();
    const a = await createUser(t.db, { username: "admin-a", password: "a-long-password-1", role: "admin" });
    const b = await createUser(t.db, { username: "admin-b", password: "a-long-password-1", role: "admin" });
    await createUser(t.db, { username: "viewer-v", password: "a-long-password-1", role: "viewer" });
    // Each demotes the other: one must be refused, or the console has no admin left.
    const both = await Promise.allSettled([setRole(t.db, a.id, "viewer"), setRole(t.db, b.id, "viewer")]);
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = both.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(LastAdminError);
    expect(await t.db.user.count({ where: { role: "admin" } })).toBe(1);

    const last = (await t.db.user.findFirstOrThrow({ where: { role: "admin" } })).id;
    await expect(setRole(t.db, last, "viewer")).rejects.toBeInstanceOf(LastAdminError);
    await expect(disableUser(t.db, last)).rejects.toBeInstanceOf(LastAdminError);
    await expect(deleteUser(t.db, last)).rejects.toBeInstanceOf(LastAdminError);
    expect(await t.db.user.count({ where: { role: "admin", disabledAt: null } })).toBe(1);
  });

  it("two concurrent deletions of the only two admins leave one", async () => {
    t = openTestDb();
    const a = await createUser(t.db, { username: "admin-a", password: "a-long-password-1", role: "admin" });
    const b = await createUser(t.db, { username: "admin-b", password: "a-long-password-1", role: "admin" });
    const both = await Promise.allSettled([deleteUser(t.db, a.id), deleteUser(t.db, b.id)]);
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.user.count({ where: { role: "admin" } })).toBe(1);
  });

  it("a disabled admin does not count as the admin that remains", async () => {
    t = openTestDb();
    const a = await createUser(t.db, { username: "admin-a", password: "a-long-password-1", role: "admin" });
    const b = await createUser(t.db, { username: "admin-b", password: "a-long-password-1", role: "admin" });
    await disableUser(t.db, b.id);
    await expect(setRole(t.db, a.id, "viewer")).rejects.toBeInstanceOf(LastAdminError);
  });
});

describe("passwords and sessions", () => {
  it("changing your own password needs the current one and ends your other sessions, not this one", async () => {
    t = openTestDb();
    const u = await createUser(t.db, { username: "ada", password: "the-first-password", role: "viewer" });
    const here = await openSession(t.db, u.id, SECRET);
    const elsewhere = await openSession(t.db, u.id, SECRET);
    await expect(changeOwnPassword(t.db, u.id, "not-the-password", "the-second-password", digestOf(here.value))).rejects.toBeInstanceOf(
      WrongPasswordError,
    );
    await changeOwnPassword(t.db, u.id, "the-first-password", "the-second-password", digestOf(here.value));
    expect(await userForCookie(t.db, here.value, SECRET)).toMatchObject({ id: u.id });
    expect(await userForCookie(t.db, elsewhere.value, SECRET)).toBeNull();
    expect(await checkCredentials(t.db, "ada", "the-first-password", "a", freshThrottle())).toEqual({ ok: false, reason: "invalid" });
    expect(await checkCredentials(t.db, "ada", "the-second-password", "a", freshThrottle())).toMatchObject({ ok: true, mustChangePassword: false });
  });

  it("an admin's reset ends every session of the user and forces a new password at the next sign-in", async () => {
    t = openTestDb();
    const u = await createUser(t.db, { username: "bob", password: "bobs-own-password", role: "viewer" });
    const before = await openSession(t.db, u.id, SECRET);
    await resetPassword(t.db, u.id, "temporary-password-1");
    expect(await userForCookie(t.db, before.value, SECRET)).toBeNull();
    const signedIn = await checkCredentials(t.db, "bob", "temporary-password-1", "a", freshThrottle());
    expect(signedIn).toEqual({ ok: true, userId: u.id, username: "bob", mustChangePassword: true });
    const session = await openSession(t.db, u.id, SECRET);
    expect(await userForCookie(t.db, session.value, SECRET)).toMatchObject({ id: u.id, mustChangePassword: true });
    // Choosing a new one lifts it.
    await changeOwnPassword(t.db, u.id, "temporary-password-1", "bobs-new-password", digestOf(session.value));
    expect(await userForCookie(t.db, session.value, SECRET)).toMatchObject({ id: u.id, mustChangePassword: false });
  });

  it("a disabled user has no sessions and cannot sign in; enabled again, they can", async () => {
    t = openTestDb();
    await createUser(t.db, { username: "admin-a", password: "a-long-password-1", role: "admin" });
    const u = await createUser(t.db, { username: "carol", password: "carols-password-1", role: "viewer" });
    const s = await openSession(t.db, u.id, SECRET);
    await disableUser(t.db, u.id);
    expect(await userForCookie(t.db, s.value, SECRET)).toBeNull();
    expect(await checkCredentials(t.db, "carol", "carols-password-1", "a", freshThrottle())).toEqual({ ok: false, reason: "disabled" });
    // A session row written for a disabled user (a race with sign-in) is not honoured either.
    const late = await openSession(t.db, u.id, SECRET);
    expect(await userForCookie(t.db, late.value, SECRET)).toBeNull();
    await enableUser(t.db, u.id);
    expect(await checkCredentials(t.db, "carol", "carols-password-1", "a", freshThrottle())).toMatchObject({ ok: true });
  });

  it("deleting a user removes them and their sessions; ending sessions signs them out everywhere", async () => {
    t = openTestDb();
    await createUser(t.db, { username: "admin-a", password: "a-long-password-1", role: "admin" });
    const d = await createUser(t.db, { username: "dave", password: "daves-password-1", role: "viewer" });
    const e = await createUser(t.db, { username: "erin", password: "erins-password-1", role: "viewer" });
    await openSession(t.db, d.id, SECRET);
    const e1 = await openSession(t.db, e.id, SECRET);
    const e2 = await openSession(t.db, e.id, SECRET);
    await deleteUser(t.db, d.id);
    expect(await t.db.user.findUnique({ where: { id: d.id } })).toBeNull();
    expect(await t.db.session.count({ where: { userId: d.id } })).toBe(0);
    expect(await endSessions(t.db, e.id)).toBe(2);
    expect(await userForCookie(t.db, e1.value, SECRET)).toBeNull();
    expect(await userForCookie(t.db, e2.value, SECRET)).toBeNull();
  });

  it("expired sessions are purged (at each sign-in, and on demand)", async () => {
    t = openTestDb();
    const u = await createUser(t.db, { username: "frank", password: "franks-password-1", role: "viewer" });
    const expired = (tokenHash: string) => t!.db.session.create({ data: { tokenHash, userId: u.id, expiresAt: new Date(Date.now() - 1000) } });
    await expired("old-1");
    await expired("old-2");
    expect(await t.db.session.count()).toBe(2);
    await openSession(t.db, u.id, SECRET);
    expect(await t.db.session.count()).toBe(1);
    await expired("old-3");
    expect(await purgeExpiredSessions(t.db)).toBe(1);
    expect(await t.db.session.count()).toBe(1);
  });
});
