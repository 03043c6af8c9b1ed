import { describe, expect, it } from "vitest";
import { isAdmin, roleSchema } from "@/lib/auth/roles";
import { newUserSchema } from "@/lib/auth/users";

describe("roles", () => {
  it("only admins pass the admin check", () => {
    expect(isAdmin({ role: "admin" })).toBe(true);
    expect(isAdmin({ role: "viewer" })).toBe(false);
    expect(isAdmin(null)).toBe(false);
    expect(isAdmin(undefined)).toBe(false);
    expect(roleSchema.safeParse("root").success).toBe(false);
  });

  it("new users must have a known role, a valid username and a long password", () => {
    const r = newUserSchema.safeParse({ username: "x y", password: "short", role: "root" });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => `${i.path.join(".")} ${i.message}`);
    expect(messages).toEqual([
      "username must be 2-32 letters, digits, '.', '_' or '-', starting with a letter or digit",
      "password must be at least 12 characters",
      "role must be admin or viewer",
    ]);
  });
});
