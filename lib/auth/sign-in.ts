// Checking a username and password, with throttling per username and per address.
import "server-only";
import type { Db } from "../db-client";
import { decoyHash, verifyPassword } from "./password";
import { SignInThrottle } from "./throttle";

const g = globalThis as unknown as { __studioThrottle?: SignInThrottle };
export const signInThrottle = (g.__studioThrottle ??= new SignInThrottle());

export type SignInResult =
  | { ok: true; userId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

export async function checkCredentials(
  db: Db,
  username: string,
  password: string,
  address: string,
  throttle: SignInThrottle = signInThrottle,
): Promise<SignInResult> {
  const wait = throttle.retryAfterMs(username, address);
  if (wait > 0) return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil(wait / 1000) };
  const user = await db.user.findUnique({ where: { username }, select: { id: true, passwordHash: true } });
  // Verify against a decoy when the user does not exist so the answer takes as long either way.
  const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  if (!user || !ok) {
    throttle.recordFailure(username, address);
    return { ok: false, reason: "invalid" };
  }
  throttle.recordSuccess(username);
  return { ok: true, userId: user.id };
}
