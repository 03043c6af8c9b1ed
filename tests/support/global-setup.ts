// Builds one migrated SQLite template file per test run; tests copy it (tests/support/test-db.ts) instead of
// running the migration CLI each time.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export default function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "studio-console-test-"));
  const file = path.join(dir, "template.db");
  execFileSync(process.execPath, [path.resolve("scripts/migrate.mjs")], {
    env: { ...process.env, DATABASE_URL: `file:${file}` },
    stdio: "pipe",
  });
  process.env.TEST_DB_TEMPLATE = file;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
