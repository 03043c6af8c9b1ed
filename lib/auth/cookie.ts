// Writing and clearing the session cookie: HttpOnly, SameSite=Lax, Secure behind https, 12 h.
import "server-only";
import { cookies } from "next/headers";
import { db } from "../db";
import { isHttps } from "./current";
import { sessionSecret } from "./secret";
import { closeSession, openSession, SESSION_COOKIE } from "./sessions";

export async function startBrowserSession(userId: string): Promise<void> {
  const { value, expiresAt } = await openSession(db, userId, sessionSecret());
  const jar = await cookies();
  jar.set(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: "lax",
    secure: await isHttps(),
    path: "/",
    expires: expiresAt,
  });
}

export async function endBrowserSession(): Promise<void> {
  const jar = await cookies();
  await closeSession(db, jar.get(SESSION_COOKIE)?.value, sessionSecret());
  jar.delete(SESSION_COOKIE);
}
