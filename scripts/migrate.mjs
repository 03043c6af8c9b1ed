// Applies the Prisma migrations to the job store (creating the SQLite file and its folder when missing).
// Run by `npm start` and by the test setup; `prisma migrate deploy` is idempotent. The job store holds password
// hashes, session digests and the audit trail: a folder it creates is 0700, the file (and SQLite's -wal/-shm,
// which SQLite creates with the database's mode) 0600.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const url = process.env.DATABASE_URL || "file:./data/console.db";
const file = url.replace(/^file:/, "");
const folder = path.dirname(path.resolve(file));
if (!fs.existsSync(folder)) {
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  fs.chmodSync(folder, 0o700); // mkdir's mode is filtered by the umask
}

const require = createRequire(import.meta.url);
const prismaCli = require.resolve("prisma/build/index.js");
try {
  execFileSync(process.execPath, [prismaCli, "migrate", "deploy"], {
    stdio: process.env.MIGRATE_QUIET ? "pipe" : "inherit",
    env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."),
  });
} catch (err) {
  // The usual cause on a machine that already ran the console: another console process still holds the file.
  console.error(`\nMigrating ${url} failed. If another console is still running on this database, stop it and try again.`);
  if (process.env.MIGRATE_QUIET && err.stderr) console.error(String(err.stderr));
  process.exit(1);
}
for (const f of [file, `${file}-wal`, `${file}-shm`]) if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
