import { randomBytes, scryptSync } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { hashPassword, needsRehash, verifyPassword } from "@/lib/auth/password";
import { checkCredentials } from "@/lib/auth/sign-in";
import { SignInThrottle } from "@/lib/auth/throttle";
import { openTestDb, type TestDb } from "../support/test-db";

/** A hash as an older version of the console stored it (N = 2^15). */
function oldHash(password: string, N = 2 ** 15): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize("NFKC"), salt, 32, { N, r: 8, p: 1, maxmem: 256 * 1024 * 1024 });
  return ["scrypt", N, 8, 1, salt.toString("base64"), key.toString("base64")].join("$");
}

let t: TestDb | undefined;
afterEach(async () => t?.close());

describe("password hashing (scrypt)", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse battery staple");
    // OWASP Password Storage Cheat Sheet: scrypt with N = 2^17, r = 8, p = 1.
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(stored).not.toContain("correct horse");
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("salts: the same password hashes differently each time", async () => {
    const [a, b] = await Promise.all([hashPassword("same password 123"), hashPassword("same password 123")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same password 123", a)).toBe(true);
    expect(await verifyPassword("same password 123", b)).toBe(true);
  });

  it("verifies hashes made with older, weaker parameters and says they need a rehash", async () => {
    const old = oldHash("an older password");
    expect(await verifyPassword("an older password", old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(await hashPassword("a current password"))).toBe(false);
  });

  it("rehashes at today's parameters when someone signs in with an older hash", async () => {
    t = openTestDb();
    const stored = oldHash("the-right-password");
    const user = await t.db.user.create({ data: { username: "ada", usernameKey: "ada", passwordHash: stored, role: "admin" } });
    expect(await checkCredentials(t.db, "ada", "the-right-password", "10.0.0.1", new SignInThrottle())).toMatchObject({ ok: true });
    const after = (await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash;
    expect(after).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyPassword("the-right-password", after)).toBe(true);
    // A wrong password changes nothing.
    await t.db.user.update({ where: { id: user.id }, data: { passwordHash: stored } });
    await checkCredentials(t.db, "ada", "a-wrong-password", "10.0.0.2", new SignInThrottle());
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(stored);
  });

  it("refuses malformed stored hashes instead of throwing", async () => {
    expect(await verifyPassword("x", "plain-text")).toBe(false);
    expect(await verifyPassword("x", "bcrypt$1$2$3$4$5")).toBe(false);
    // Absurd stored costs are refused rather than allocated for.
    expect(await verifyPassword("x", "scrypt$1099511627776$8$1$AAAA$AAAA")).toBe(false);
  });
});
