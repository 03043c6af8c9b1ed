// Server-side sessions: a random token in a sealed cookie, its SHA-256 digest in the job store. Deleting the
// row (sign-out, password change or reset, user disabled or removed) ends the session even if the cookie is
// replayed. Expired rows are purged whenever a session opens.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db-client";
import type { SessionUser } from "./roles";
import { seal, unseal } from "./seal";

/** The session cookie's name over plain http; over https it carries the `__Host-` prefix (see cookie.ts). */
export const SESSION_COOKIE = "studio_session";

export function sessionCookieName(secure: boolean): string {
  return secure ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
}
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export function tokenDigest(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Deletes sessions past their expiry; returns how many. */
export async function purgeExpiredSessions(db: Db, now = Date.now()): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { expiresAt: { lte: new Date(now) } } });
  return count;
}

/** Creates the session row and returns the sealed cookie value and its expiry. */
export async function openSession(db: Db, userId: string, secret: string, now = Date.now()) {
  await purgeExpiredSessions(db);
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now + SESSION_TTL_MS);
  await db.session.create({ data: { tokenHash: tokenDigest(token), userId, expiresAt } });
  return { value: seal({ token, exp: expiresAt.getTime() }, secret), expiresAt };
}

/** The signed-in user for a cookie value, or null (missing, forged, expired, signed out, user disabled). */
export async function userForCookie(db: Db, value: string | undefined, secret: string, now = Date.now()): Promise<SessionUser | null> {
  return (await sessionForCookie(db, value, secret, now))?.user ?? null;
}

/** The session behind a cookie (its token digest, to keep it when ending the user's others) and its user. */
export async function sessionForCookie(
  db: Db,
  value: string | undefined,
  secret: string,
  now = Date.now(),
): Promise<{ tokenHash: string; user: SessionUser } | null> {
  if (!value) return null;
  const payload = unseal(value, secret, now);
  if (!payload) return null;
  const tokenHash = tokenDigest(payload.token);
  const user = await liveSessionUser(db, tokenHash, now);
  return user ? { tokenHash, user } : null;
}

/** Whether the session with this token digest still exists, is not expired and its user not disabled. */
export async function sessionIsLive(db: Db, tokenHash: string, now = Date.now()): Promise<boolean> {
  return (await liveSessionUser(db, tokenHash, now)) !== null;
}

/**
 * The user of a session that exists, has not expired and whose user is not disabled; else null. Every page, route
 * and event stream asks this: one SQL statement with the join, not Prisma's two queries (a session, then its user)
 * each compiled for every request (measured with `npm run bench:pages`). Prisma types the raw row from the
 * columns: Date for the times, boolean for mustChangePassword.
 */
async function liveSessionUser(db: Db, tokenHash: string, now: number): Promise<SessionUser | null> {
  const [row] = await db.$queryRaw<{ expiresAt: Date; id: string; username: string; role: string; mustChangePassword: boolean; disabledAt: Date | null }[]>`
    SELECT s."expiresAt", u."id", u."username", u."role", u."mustChangePassword", u."disabledAt"
    FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE s."tokenHash" = ${tokenHash} LIMIT 1`;
  if (!row || row.expiresAt.getTime() <= now || row.disabledAt) return null;
  const { id, username, role, mustChangePassword } = row;
  return { id, username, role: role === "admin" ? "admin" : "viewer", mustChangePassword };
}

export async function closeSession(db: Db, value: string | undefined, secret: string): Promise<void> {
  const payload = value ? unseal(value, secret) : null;
  if (payload) await db.session.deleteMany({ where: { tokenHash: tokenDigest(payload.token) } });
}
