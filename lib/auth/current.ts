// The signed-in user of the current request. Every page, server action and route handler calls one of these
// on the server itself; no middleware is relied on.
import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "../db";
import { clientAddressFrom, forwardedHttps, parseTrustedProxies, peerHeaderName, type TrustedProxies } from "./client-address";
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

let proxies: { value: TrustedProxies } | undefined;
/** CONSOLE_TRUSTED_PROXIES, parsed once (and checked at start-up, so a typo stops the server, not a sign-in). */
export function trustedProxies(): TrustedProxies {
  return (proxies ??= { value: parseTrustedProxies(process.env.CONSOLE_TRUSTED_PROXIES) }).value;
}

/** The socket's peer as stamped by scripts/server.mjs, or null when the server did not stamp it. */
function peerOf(h: Headers): string | null {
  const name = peerHeaderName();
  return name ? h.get(name) : null;
}

/** Whether the browser reached us over https (directly or behind a trusted proxy): the cookie's Secure flag. */
export async function isHttps(): Promise<boolean> {
  if (process.env.CONSOLE_SECURE_COOKIES === "true") return true;
  if (process.env.CONSOLE_SECURE_COOKIES === "false") return false;
  const h = await headers();
  return forwardedHttps({ peer: peerOf(h), forwardedProto: h.get("x-forwarded-proto") }, trustedProxies());
}

/** The client address for sign-in throttling (see client-address.ts for what is believed). */
export async function clientAddress(): Promise<string> {
  const h = await headers();
  return clientAddressFrom({ peer: peerOf(h), forwardedFor: h.get("x-forwarded-for") }, trustedProxies());
}
