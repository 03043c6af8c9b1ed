// Where the job store lives: DATABASE_URL (file:...) or ./data/console.db. One source for the CLI and the app.
import fs from "node:fs";
import path from "node:path";

export const DEFAULT_DATABASE_URL = "file:./data/console.db";

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (!url.startsWith("file:")) throw new Error(`DATABASE_URL must be a SQLite file: URL, got "${url}"`);
  // Make sure the folder exists: SQLite creates the file but not its directory. A folder made here is private
  // (0700), like the one scripts/migrate.mjs makes; the file itself is made 0600 when a client opens it.
  const file = url.slice("file:".length);
  const folder = path.dirname(path.resolve(file));
  if (file !== ":memory:" && !fs.existsSync(folder)) {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    fs.chmodSync(folder, 0o700);
  }
  return url;
}
