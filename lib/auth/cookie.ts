// Writing and clearing the session cookie: HttpOnly, SameSite=Lax, 12 h. Over https it is Secure and named
// `__Host-studio_session`: the browser then only accepts it from this host, over https, for path / and without a
// Domain, so a neighbouring subdomain cannot plant or overwrite it.
import "server-only";
import { cookies } from "next/headers";
import { db } from "../db";
import { isHttps } from "./current";
import { sessionSecret } from "./secret";
import { closeSession, openSession, sessionCookieName } from "./sessions";

export async function startBrowserSession(userId: string): Promise<void> {
  const { value, expiresAt } = await openSession(db, userId, sessionSecret());
  const secure = await isHttps();
  const jar = await cookies();
  jar.set(sessionCookieName(secure), value, { httpOnly: true, sameSite: "lax", secure, path: "/", expires: expiresAt });
}

export async function endBrowserSession(): Promise<void> {
  const jar = await cookies();
  const name = sessionCookieName(await isHttps());
  await closeSession(db, jar.get(name)?.value, sessionSecret());
  jar.delete({ name, path: "/", secure: name.startsWith("__Host-") });
}
