// The job store holds password hashes, session digests and the audit trail: its file (and SQLite's -wal/-shm
// companions) are readable by the console's user only, and so is the folder they live in.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createPrismaClient, dbReady } from "@/lib/db-client";

const mode = (p: string) => fs.statSync(p).mode & 0o777;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("job store files", () => {
  it("migrate creates the folder 0700 and the database 0600, whatever the umask", async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), "studio-perm-"));
    dirs.push(base);
    const file = path.join(base, "data", "console.db");
    execFileSync(process.execPath, [path.resolve("scripts/migrate.mjs")], {
      env: { ...process.env, DATABASE_URL: `file:${file}`, MIGRATE_QUIET: "1" },
      stdio: "pipe",
    });
    expect(mode(path.dirname(file)).toString(8)).toBe("700");
    expect(mode(file).toString(8)).toBe("600");

    // The console's own connection: WAL companions are created with the database's mode.
    const db = createPrismaClient(`file:${file}`);
    await dbReady(db);
    await db.user.count();
    await db.auditEvent.create({ data: { actor: "t", action: "x" } });
    for (const f of [file, `${file}-wal`, `${file}-shm`].filter((f) => fs.existsSync(f))) expect(mode(f).toString(8), f).toBe("600");
    await db.$disconnect();
  });

  it("tightens a database file an older version left readable by others", async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), "studio-perm-"));
    dirs.push(base);
    const file = path.join(base, "console.db");
    execFileSync(process.execPath, [path.resolve("scripts/migrate.mjs")], { env: { ...process.env, DATABASE_URL: `file:${file}`, MIGRATE_QUIET: "1" }, stdio: "pipe" });
    fs.chmodSync(file, 0o644);
    execFileSync(process.execPath, [path.resolve("scripts/migrate.mjs")], { env: { ...process.env, DATABASE_URL: `file:${file}`, MIGRATE_QUIET: "1" }, stdio: "pipe" });
    expect(mode(file).toString(8)).toBe("600");
  });
});
