// Sign-in throttling: attempts are counted when they start (before the slow password check), per (user,
// address) with a looser limit per user across addresses, in bounded memory; password hashing is capped.
import { afterEach, describe, expect, it } from "vitest";
import { checkCredentials, signInSchema } from "@/lib/auth/sign-in";
import { SignInThrottle } from "@/lib/auth/throttle";
import { HashGate, HashGateBusyError } from "@/lib/auth/hash-gate";
import { createUser } from "@/lib/auth/users";
import { openTestDb, type TestDb } from "../support/test-db";

let t: TestDb | undefined;
afterEach(async () => t?.close());

const options = { perPair: 5, perUser: 20, baseDelayMs: 30_000, maxDelayMs: 60_000, windowMs: 60_000 };

describe("sign-in throttle", () => {
  it("counts an attempt when it starts: of 30 parallel guesses only the allowance is checked, the rest wait", async () => {
    t = openTestDb();
    await createUser(t.db, { username: "ada", password: "the-right-password", role: "admin" });
    const th = new SignInThrottle(options);
    const results = await Promise.all(Array.from({ length: 30 }, () => checkCredentials(t!.db, "ada", "a-wrong-guess", "198.51.100.9", th)));
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(25);
  });

  it("limits per (user, address): someone else's failures do not lock out a user signing in from elsewhere", async () => {
    t = openTestDb();
    await createUser(t.db, { username: "viewer", password: "the-viewers-password", role: "viewer" });
    const th = new SignInThrottle(options);
    for (let i = 0; i < 6; i++) await checkCredentials(t.db, "viewer", `guess-${i}`, "203.0.113.66", th);
    expect(await checkCredentials(t.db, "viewer", "the-viewers-password", "203.0.113.66", th)).toMatchObject({ reason: "throttled" });
    expect(await checkCredentials(t.db, "viewer", "the-viewers-password", "192.0.2.10", th)).toMatchObject({ ok: true });
  });

  it("failures for other usernames from a shared address do not lock out a user with the right password", async () => {
    t = openTestDb();
    await createUser(t.db, { username: "viewer", password: "the-viewers-password", role: "viewer" });
    const th = new SignInThrottle(options);
    for (let i = 0; i < 12; i++) await checkCredentials(t.db, `someone-${i}`, "wrong-password", "unknown", th);
    expect(await checkCredentials(t.db, "viewer", "the-viewers-password", "unknown", th)).toMatchObject({ ok: true });
  });

  it("has a looser limit per user across addresses, so changing address does not buy unlimited guesses", () => {
    const th = new SignInThrottle({ ...options, perPair: 5, perUser: 8 });
    const t0 = 1_000_000;
    let allowed = 0;
    for (let i = 0; i < 40; i++) if (th.begin("ada", `10.0.${i}.1`, t0).ok) allowed++;
    expect(allowed).toBe(8);
    expect(th.begin("ada", "10.9.9.9", t0)).toEqual({ ok: false, retryAfterMs: 30_000 });
    // The wait doubles with each attempt over the limit, up to the cap, and is forgotten after the window.
    expect(th.begin("ada", "10.9.9.9", t0 + 30_000)).toMatchObject({ ok: true });
    expect(th.begin("ada", "10.9.9.8", t0 + 30_000)).toEqual({ ok: false, retryAfterMs: 60_000 });
    expect(th.begin("ada", "10.9.9.8", t0 + 30_000 + 60_001 + 60_000)).toMatchObject({ ok: true });
  });

  it("a success clears the (user, address) record but not the user's count from elsewhere", () => {
    const th = new SignInThrottle({ ...options, perPair: 2, perUser: 3 });
    const t0 = 5_000_000;
    expect(th.begin("ada", "10.0.0.1", t0).ok).toBe(true);
    const second = th.begin("ada", "10.0.0.1", t0);
    expect(second.ok).toBe(true);
    if (second.ok) second.attempt.succeeded();
    // The pair starts over (without the success it would now have to wait) ...
    expect(th.begin("ada", "10.0.0.1", t0).ok).toBe(true);
    // ... while the per-user count kept the failed attempt: this one uses up the allowance, the next waits.
    expect(th.begin("ada", "10.0.0.2", t0).ok).toBe(true);
    expect(th.begin("ada", "10.0.0.3", t0).ok).toBe(false);
  });

  it("keeps bounded memory: old records are swept, and at most maxEntries are kept", () => {
    const th = new SignInThrottle({ ...options, maxEntries: 100 });
    const t0 = 9_000_000;
    for (let i = 0; i < 1000; i++) th.begin(`user-${i}`, `10.1.${i % 250}.${i % 7}`, t0 + i);
    expect(th.size).toBeLessThanOrEqual(100);
    th.begin("late", "10.2.2.2", t0 + 1000 + options.windowMs + 1);
    expect(th.size).toBe(2);
  });
});

describe("what a sign-in may be", () => {
  it("caps the username's length before anything is looked up or hashed", async () => {
    const long = "a".repeat(33);
    expect(signInSchema.safeParse({ username: long, password: "x" }).error?.issues[0]).toMatchObject({
      path: ["username"],
      message: "must be at most 32 characters",
    });
    const th = new SignInThrottle(options);
    const refusingDb = new Proxy({}, { get: () => { throw new Error("the job store must not be asked"); } });
    expect(await checkCredentials(refusingDb as never, "a".repeat(10_000), "x", "10.0.0.1", th)).toEqual({ ok: false, reason: "invalid" });
    expect(th.size).toBe(0);
  });
});

describe("password hashing is capped", () => {
  it("runs at most N hashes at once, queues a few more and refuses the rest at once", async () => {
    const gate = new HashGate(2, 3);
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const job = () =>
      gate.run(async () => {
        peak = Math.max(peak, ++running);
        await new Promise<void>((r) => releases.push(r));
        running--;
      });
    const jobs = Array.from({ length: 10 }, job);
    const settled = Promise.allSettled(jobs);
    await new Promise((r) => setTimeout(r, 10));
    while (releases.length) {
      releases.shift()!();
      await new Promise((r) => setTimeout(r, 1));
    }
    const results = await settled;
    expect(peak).toBe(2);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect(results.filter((r) => r.status === "rejected" && r.reason instanceof HashGateBusyError)).toHaveLength(5);
  });

  it("a sign-in that finds the hashing full is told to try again, and that attempt is not counted against anyone", async () => {
    t = openTestDb();
    await createUser(t.db, { username: "ada", password: "the-right-password", role: "admin" });
    const gate = new HashGate(1, 0);
    const th = new SignInThrottle({ ...options, perPair: 1 });
    let release!: () => void;
    const busy = gate.run(() => new Promise<void>((r) => (release = r)));
    expect(await checkCredentials(t.db, "ada", "the-right-password", "10.0.0.1", th, gate)).toEqual({ ok: false, reason: "busy" });
    release();
    await busy;
    expect(await checkCredentials(t.db, "ada", "the-right-password", "10.0.0.1", th, gate)).toMatchObject({ ok: true });
  });
});
