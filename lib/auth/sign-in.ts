// Checking a username and password. The attempt is counted by the throttle BEFORE the slow password check (so
// parallel guesses beyond the allowance are never evaluated), the check runs through the hashing gate (a cap on
// concurrent scrypt work), and a hash made with weaker parameters than today's is replaced once it is proved.
import "server-only";
import { z } from "zod";
import type { Db } from "../db-client";
import { HashGate, HashGateBusyError, passwordGate } from "./hash-gate";
import { decoyHash, needsRehash, verifyPassword } from "./password";
import { MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH } from "./password-rules";
import { SignInThrottle } from "./throttle";
import { findUserByName, rehashPassword } from "./users";

const g = globalThis as unknown as { __studioThrottle?: SignInThrottle };
export const signInThrottle = (g.__studioThrottle ??= new SignInThrottle());

/** The sign-in form. Lengths are capped before anything is looked up, hashed or remembered by the throttle. */
export const signInSchema = z.object({
  username: z
    .string()
    .trim()
    .min(1, { error: "is required" })
    .max(MAX_USERNAME_LENGTH, { error: `must be at most ${MAX_USERNAME_LENGTH} characters` }),
  password: z
    .string()
    .min(1, { error: "is required" })
    .max(MAX_PASSWORD_LENGTH, { error: `must be at most ${MAX_PASSWORD_LENGTH} characters` }),
  next: z.string().max(2048).optional(),
});

export type SignInResult =
  | { ok: true; userId: string; username: string; mustChangePassword: boolean }
  | { ok: false; reason: "invalid" | "disabled" | "busy" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

export async function checkCredentials(
  db: Db,
  username: string,
  password: string,
  address: string,
  throttle: SignInThrottle = signInThrottle,
  gate: HashGate = passwordGate,
): Promise<SignInResult> {
  // No such user can exist; refused before the throttle keeps anything of it or the job store is asked.
  if (username.trim().length > MAX_USERNAME_LENGTH || password.length > MAX_PASSWORD_LENGTH) return { ok: false, reason: "invalid" };
  const started = throttle.begin(username, address);
  if (!started.ok) return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil(started.retryAfterMs / 1000) };
  const user = await findUserByName(db, username);
  let ok: boolean;
  try {
    // Verify against a decoy when the user does not exist so the answer takes as long either way.
    ok = await gate.run(async () => verifyPassword(password, user?.passwordHash ?? (await decoyHash())));
  } catch (error) {
    if (!(error instanceof HashGateBusyError)) throw error;
    started.attempt.withdraw();
    return { ok: false, reason: "busy" };
  }
  if (!user || !ok) return { ok: false, reason: "invalid" };
  started.attempt.succeeded();
  // Only after the password is proved, so a disabled account's existence is not revealed to guessers.
  if (user.disabledAt) return { ok: false, reason: "disabled" };
  if (needsRehash(user.passwordHash)) await rehashPassword(db, user.id, password, user.passwordHash).catch(() => undefined);
  return { ok: true, userId: user.id, username: user.username, mustChangePassword: user.mustChangePassword };
}
