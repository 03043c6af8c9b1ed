import { describe, expect, it } from "vitest";
import { seal, unseal } from "@/lib/auth/seal";

const SECRET = "a-session-secret-that-is-long-enough-0123456789";

describe("session cookie sealing", () => {
  it("round-trips and hides the token", () => {
    const exp = Date.now() + 60_000;
    const value = seal({ token: "tok-123", exp }, SECRET);
    expect(value).not.toContain("tok-123");
    expect(Buffer.from(value, "base64url").toString("latin1")).not.toContain("tok-123");
    expect(unseal(value, SECRET)).toEqual({ token: "tok-123", exp });
  });

  it("refuses an expired payload", () => {
    const value = seal({ token: "t", exp: 1_000 }, SECRET);
    expect(unseal(value, SECRET, 999)).toEqual({ token: "t", exp: 1_000 });
    expect(unseal(value, SECRET, 1_000)).toBeNull();
  });

  it("refuses a tampered value or another secret", () => {
    const value = seal({ token: "t", exp: Date.now() + 60_000 }, SECRET);
    const raw = Buffer.from(value, "base64url");
    raw[raw.length - 1] ^= 1;
    expect(unseal(raw.toString("base64url"), SECRET)).toBeNull();
    expect(unseal(value, SECRET.replace("a", "b"))).toBeNull();
    expect(unseal("garbage", SECRET)).toBeNull();
  });

  it("refuses a short secret", () => {
    expect(() => seal({ token: "t", exp: 1 }, "short")).toThrow(/at least 32 characters/);
  });
});
