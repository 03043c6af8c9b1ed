// First start: with no users, either CONSOLE_ADMIN_USERNAME/CONSOLE_ADMIN_PASSWORD create the first admin
// non-interactively, or a one-time setup token is printed as a link for creating it in the browser.
// The token lives only in this process's memory: it is never stored, and a restart issues a new one.
import "server-only";
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "../db-client";
import { logger } from "../log";
import { createUser } from "./users";

const g = globalThis as unknown as {
  __studioSetupToken?: { value: string; expires: number };
  /** Handed over in memory by scripts/server.mjs (npm start passes it through a pipe, not the environment). */
  __studioFirstAdmin?: { username: string; password: string };
};

/** The first admin to create: from the server script's hand-over, else the environment (e.g. under `next dev`). */
function firstAdminCredentials(): { username?: string; password?: string } {
  const handed = g.__studioFirstAdmin;
  delete g.__studioFirstAdmin;
  return handed ?? { username: process.env.CONSOLE_ADMIN_USERNAME, password: process.env.CONSOLE_ADMIN_PASSWORD };
}

/** A printed link may end up in a log collector: it stops working after a day (a restart prints a new one). */
export const SETUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

export async function needsSetup(db: Db): Promise<boolean> {
  return (await db.user.count()) === 0;
}

export function checkSetupToken(token: string | null | undefined, now = Date.now()): boolean {
  const expected = g.__studioSetupToken;
  if (!expected || !token || now >= expected.expires) return false;
  const a = Buffer.from(token);
  const b = Buffer.from(expected.value);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function retireSetupToken(): void {
  delete g.__studioSetupToken;
}

/** Runs at server start. Returns the setup link when one was issued (for the caller to print). */
export async function bootstrapFirstAdmin(db: Db, baseUrl: string): Promise<string | null> {
  // Taken (and forgotten) whether or not it is needed: it should not sit in memory for the process's life.
  const { username, password } = firstAdminCredentials();
  if (!(await needsSetup(db))) return null;
  if (username && password) {
    await createUser(db, { username, password, role: "admin" });
    logger.info("first admin created from CONSOLE_ADMIN_USERNAME", { user: username });
    return null;
  }
  g.__studioSetupToken ??= { value: randomBytes(24).toString("base64url"), expires: Date.now() + SETUP_TOKEN_TTL_MS };
  return `${baseUrl}/setup?token=${g.__studioSetupToken.value}`;
}
