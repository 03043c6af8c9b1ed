// A fresh, migrated SQLite job store per test: a copy of the template the global setup migrated.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPrismaClient, type Db } from "@/lib/db-client";

export interface TestDb {
  db: Db;
  file: string;
  url: string;
  close(): Promise<void>;
}

export function freshDbFile(): string {
  const template = process.env.TEST_DB_TEMPLATE;
  if (!template) throw new Error("TEST_DB_TEMPLATE is not set: run tests through vitest (global setup)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "studio-console-db-"));
  const file = path.join(dir, "console.db");
  fs.copyFileSync(template, file);
  return file;
}

export function openTestDb(file = freshDbFile()): TestDb {
  const url = `file:${file}`;
  const db = createPrismaClient(url);
  return {
    db,
    file,
    url,
    async close() {
      await db.$disconnect();
    },
  };
}

/** A newly migrated job store file, for scripts that run outside vitest's global setup (benchmarks). */
export function migratedDbFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "studio-console-db-"));
  const file = path.join(dir, "console.db");
  execFileSync(process.execPath, [path.resolve("scripts/migrate.mjs")], { env: { ...process.env, DATABASE_URL: `file:${file}` }, stdio: "pipe" });
  return file;
}
