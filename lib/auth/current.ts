// The signed-in user of the current request. Every page, server action and route handler calls one of these
// on the server itself; no middleware is relied on.
import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "../db";
import { requestClientAddress, requestIsHttps, trustedProxies } from "../http/request-origin";
import type { SessionUser } from "./roles";
import { sessionSecret } from "./secret";
import { sessionCookieName, sessionForCookie } from "./sessions";

/** The signed-in session (its token digest and user) once per request (React cache). */
export const getCurrentSession = cache(async () => {
  const jar = await cookies();
  return sessionForCookie(db, jar.get(sessionCookieName(await isHttps()))?.value, sessionSecret());
});

/** Once per request (React cache), so a page and its components share one look-up. */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => (await getCurrentSession())?.user ?? null);

/** Where a user whose password was reset must go before anything else. */
export const CHANGE_PASSWORD_PATH = "/account/password";

/** For pages: the user, or a redirect to the sign-in page that comes back here afterwards. */
export async function requireUser(returnTo?: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(returnTo ? `/sign-in?next=${encodeURIComponent(returnTo)}` : "/sign-in");
  if (user.mustChangePassword) redirect(returnTo ? `${CHANGE_PASSWORD_PATH}?next=${encodeURIComponent(returnTo)}` : CHANGE_PASSWORD_PATH);
  return user;
}

/** For route handlers: the user, or a JSON 401 (not signed in) / 403 (must choose a new password) to return. */
export async function userOr401(): Promise<SessionUser | Response> {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: "sign in required" }, { status: 401 });
  if (user.mustChangePassword) return Response.json({ error: "choose a new password first" }, { status: 403 });
  return user;
}

export { trustedProxies };

/** Whether the browser reached us over https (directly or behind a trusted proxy): the cookie's Secure flag. */
export async function isHttps(): Promise<boolean> {
  return requestIsHttps(await headers());
}

/** The client address for sign-in throttling (see lib/auth/client-address.ts for what is believed). */
export async function clientAddress(): Promise<string> {
  return requestClientAddress(await headers());
}
