// Server-side sessions: a random token in a sealed cookie, its SHA-256 digest in the job store. Deleting the
// row (sign-out, user removed) ends the session even if the cookie is replayed.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db-client";
import type { SessionUser } from "./roles";
import { seal, unseal } from "./seal";

export const SESSION_COOKIE = "studio_session";
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export function tokenDigest(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates the session row and returns the sealed cookie value and its expiry. */
export async function openSession(db: Db, userId: string, secret: string, now = Date.now()) {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now + SESSION_TTL_MS);
  await db.session.create({ data: { tokenHash: tokenDigest(token), userId, expiresAt } });
  return { value: seal({ token, exp: expiresAt.getTime() }, secret), expiresAt };
}

/** The signed-in user for a cookie value, or null (missing, forged, expired, signed out). */
export async function userForCookie(db: Db, value: string | undefined, secret: string, now = Date.now()): Promise<SessionUser | null> {
  if (!value) return null;
  const payload = unseal(value, secret, now);
  if (!payload) return null;
  const session = await db.session.findUnique({
    where: { tokenHash: tokenDigest(payload.token) },
    select: { expiresAt: true, user: { select: { id: true, username: true, role: true } } },
  });
  if (!session || session.expiresAt.getTime() <= now) return null;
  const { id, username, role } = session.user;
  return { id, username, role: role === "admin" ? "admin" : "viewer" };
}

export async function closeSession(db: Db, value: string | undefined, secret: string): Promise<void> {
  const payload = value ? unseal(value, secret) : null;
  if (payload) await db.session.deleteMany({ where: { tokenHash: tokenDigest(payload.token) } });
}
