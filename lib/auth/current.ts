// The signed-in user of the current request. Every page, server action and route handler calls one of these
// on the server itself; no middleware is relied on.
import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "../db";
import type { SessionUser } from "./roles";
import { sessionSecret } from "./secret";
import { SESSION_COOKIE, userForCookie } from "./sessions";

/** Once per request (React cache), so a page and its components share one look-up. */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const jar = await cookies();
  return userForCookie(db, jar.get(SESSION_COOKIE)?.value, sessionSecret());
});

/** For pages: the user, or a redirect to the sign-in page that comes back here afterwards. */
export async function requireUser(returnTo?: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(returnTo ? `/sign-in?next=${encodeURIComponent(returnTo)}` : "/sign-in");
  return user;
}

/** For route handlers: the user, or a JSON 401 Response to return. */
export async function userOr401(): Promise<SessionUser | Response> {
  const user = await getCurrentUser();
  return user ?? Response.json({ error: "sign in required" }, { status: 401 });
}

/** Whether the browser reached us over https (directly or behind a proxy): decides the cookie's Secure flag. */
export async function isHttps(): Promise<boolean> {
  if (process.env.CONSOLE_SECURE_COOKIES === "true") return true;
  if (process.env.CONSOLE_SECURE_COOKIES === "false") return false;
  const h = await headers();
  return h.get("x-forwarded-proto") === "https";
}

/** The client address for sign-in throttling: the first X-Forwarded-For hop, else a fixed key. */
export async function clientAddress(): Promise<string> {
  const h = await headers();
  return h.get("x-forwarded-for")?.split(",")[0]?.trim() || h.get("x-real-ip") || "direct";
}
