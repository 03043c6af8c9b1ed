// The session secret: SESSION_SECRET, or a random one generated once and kept in a 0600 file beside the job
// store (never in the database), so sessions survive restarts without anyone having to invent a secret.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { databaseUrl } from "../db-url";

let cached: string | undefined;

export function sessionSecret(): string {
  if (cached) return cached;
  if (process.env.SESSION_SECRET) return (cached = process.env.SESSION_SECRET);
  const file = path.join(path.dirname(path.resolve(databaseUrl().slice("file:".length))), "session-secret");
  try {
    cached = fs.readFileSync(file, "utf8").trim();
  } catch {
    const fresh = randomBytes(32).toString("base64url");
    try {
      fs.writeFileSync(file, fresh, { mode: 0o600, flag: "wx" });
      cached = fresh;
    } catch {
      cached = fs.readFileSync(file, "utf8").trim(); // another process won the race
    }
  }
  return cached;
}
