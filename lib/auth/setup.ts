// First start: with no users, either CONSOLE_ADMIN_USERNAME/CONSOLE_ADMIN_PASSWORD create the first admin
// non-interactively, or a one-time setup token is printed as a link for creating it in the browser.
// The token lives only in this process's memory: it is never stored, and a restart issues a new one.
import "server-only";
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "../db-client";
import { logger } from "../log";
import { createUser } from "./users";

const g = globalThis as unknown as { __studioSetupToken?: string };

export async function needsSetup(db: Db): Promise<boolean> {
  return (await db.user.count()) === 0;
}

export function checkSetupToken(token: string | null | undefined): boolean {
  const expected = g.__studioSetupToken;
  if (!expected || !token) return false;
  const a = Buffer.from(token);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function retireSetupToken(): void {
  delete g.__studioSetupToken;
}

/** Runs at server start. Returns the setup link when one was issued (for the caller to print). */
export async function bootstrapFirstAdmin(db: Db, baseUrl: string): Promise<string | null> {
  if (!(await needsSetup(db))) return null;
  const username = process.env.CONSOLE_ADMIN_USERNAME;
  const password = process.env.CONSOLE_ADMIN_PASSWORD;
  if (username && password) {
    await createUser(db, { username, password, role: "admin" });
    logger.info("first admin created from CONSOLE_ADMIN_USERNAME", { user: username });
    return null;
  }
  g.__studioSetupToken ??= randomBytes(24).toString("base64url");
  return `${baseUrl}/setup?token=${g.__studioSetupToken}`;
}
