import { afterEach, describe, expect, it } from "vitest";
import { checkCredentials } from "@/lib/auth/sign-in";
import { SignInThrottle } from "@/lib/auth/throttle";
import { createUser } from "@/lib/auth/users";
import { openTestDb, type TestDb } from "../support/test-db";

describe("sign-in throttle", () => {
  it("lets a few failures pass, then makes each further attempt wait, doubling", () => {
    const th = new SignInThrottle({ freeAttempts: 3, freeAttemptsPerAddress: 10, baseDelayMs: 1000, maxDelayMs: 8000, windowMs: 60_000 });
    const t0 = 1_000_000;
    th.recordFailure("ada", "10.0.0.1", t0);
    th.recordFailure("ada", "10.0.0.1", t0);
    expect(th.retryAfterMs("ada", "10.0.0.1", t0)).toBe(0);
    th.recordFailure("ada", "10.0.0.1", t0);
    expect(th.retryAfterMs("ada", "10.0.0.1", t0)).toBe(1000);
    th.recordFailure("ada", "10.0.0.1", t0 + 1000);
    expect(th.retryAfterMs("ada", "10.0.0.1", t0 + 1000)).toBe(2000);
    // Per user: another address is slowed down for the same username ...
    expect(th.retryAfterMs("ada", "10.9.9.9", t0 + 1000)).toBe(2000);
    // ... and another username from the same address is not, until the address's own allowance runs out.
    expect(th.retryAfterMs("bob", "10.0.0.1", t0 + 1000)).toBe(0);
    // The delay is capped and forgotten after the window.
    for (let i = 0; i < 10; i++) th.recordFailure("ada", "10.0.0.2", t0 + 2000);
    expect(th.retryAfterMs("ada", "10.0.0.2", t0 + 2000)).toBe(8000);
    expect(th.retryAfterMs("ada", "10.0.0.2", t0 + 2000 + 60_001)).toBe(0);
  });

  it("an address guessing many usernames is slowed down too", () => {
    const th = new SignInThrottle({ freeAttempts: 3, freeAttemptsPerAddress: 5, baseDelayMs: 1000, maxDelayMs: 8000, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) th.recordFailure(`user${i}`, "10.0.0.7", 0);
    expect(th.retryAfterMs("someone-else", "10.0.0.7", 0)).toBe(1000);
  });

  let t: TestDb | undefined;
  afterEach(async () => t?.close());

  it("checkCredentials refuses wrong passwords and unknown users alike, then throttles", async () => {
    t = openTestDb();
    await createUser(t.db, { username: "ada", password: "the-right-password", role: "admin" });
    const th = new SignInThrottle({ freeAttempts: 2, freeAttemptsPerAddress: 10, baseDelayMs: 30_000, maxDelayMs: 60_000, windowMs: 60_000 });
    expect(await checkCredentials(t.db, "ada", "the-right-password", "a1", th)).toMatchObject({ ok: true });
    expect(await checkCredentials(t.db, "ada", "wrong", "a1", th)).toEqual({ ok: false, reason: "invalid" });
    expect(await checkCredentials(t.db, "nobody", "wrong", "a1", th)).toEqual({ ok: false, reason: "invalid" });
    expect(await checkCredentials(t.db, "ada", "wrong", "a1", th)).toEqual({ ok: false, reason: "invalid" });
    // Now even the right password must wait.
    expect(await checkCredentials(t.db, "ada", "the-right-password", "a1", th)).toEqual({
      ok: false,
      reason: "throttled",
      retryAfterSeconds: 30,
    });
  });
});
