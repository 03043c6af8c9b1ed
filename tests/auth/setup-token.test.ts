import { afterEach, describe, expect, it } from "vitest";
import { bootstrapFirstAdmin, checkSetupToken, retireSetupToken, SETUP_TOKEN_TTL_MS } from "@/lib/auth/setup";
import { openTestDb, type TestDb } from "../support/test-db";

let t: TestDb | undefined;
afterEach(async () => {
  retireSetupToken();
  await t?.close();
});

describe("first-admin setup token", () => {
  it("is printed only while there are no users, works until used or a day has passed", async () => {
    t = openTestDb();
    const link = await bootstrapFirstAdmin(t.db, "http://console.test");
    expect(link).toMatch(/^http:\/\/console\.test\/setup\?token=[A-Za-z0-9_-]{32}$/);
    const token = new URL(link!).searchParams.get("token")!;
    expect(checkSetupToken(token)).toBe(true);
    expect(checkSetupToken(`${token}x`)).toBe(false);
    expect(checkSetupToken("")).toBe(false);
    expect(checkSetupToken(token, Date.now() + SETUP_TOKEN_TTL_MS + 1)).toBe(false);
    retireSetupToken();
    expect(checkSetupToken(token)).toBe(false);
    // Never stored: nothing in the job store holds it.
    expect(JSON.stringify(await t.db.user.findMany())).not.toContain(token);
  });

  it("takes the first admin handed over in memory by the server script (not from the environment), then forgets it", async () => {
    t = openTestDb();
    const g = globalThis as { __studioFirstAdmin?: { username: string; password: string } };
    g.__studioFirstAdmin = { username: "handed-admin", password: "a-long-enough-password" };
    expect(await bootstrapFirstAdmin(t.db, "http://console.test")).toBeNull();
    expect(await t.db.user.findMany({ select: { username: true, role: true } })).toEqual([{ username: "handed-admin", role: "admin" }]);
    expect(g.__studioFirstAdmin).toBeUndefined();
  });

  it("CONSOLE_ADMIN_USERNAME/PASSWORD create the first admin instead of a link", async () => {
    t = openTestDb();
    process.env.CONSOLE_ADMIN_USERNAME = "first-admin";
    process.env.CONSOLE_ADMIN_PASSWORD = "a-long-enough-password";
    try {
      expect(await bootstrapFirstAdmin(t.db, "http://console.test")).toBeNull();
    } finally {
      delete process.env.CONSOLE_ADMIN_USERNAME;
      delete process.env.CONSOLE_ADMIN_PASSWORD;
    }
    const users = await t.db.user.findMany();
    expect(users.map((u) => [u.username, u.role])).toEqual([["first-admin", "admin"]]);
    expect(users[0].passwordHash).not.toContain("a-long-enough-password");
    // With a user present, nothing more is printed.
    expect(await bootstrapFirstAdmin(t.db, "http://console.test")).toBeNull();
  });
});
