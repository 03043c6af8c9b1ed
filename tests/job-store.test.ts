// The migrations apply to an empty file and the Prisma client reads and writes every model.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { dbReady } from "@/lib/db-client";
import { openTestDb, type TestDb } from "./support/test-db";

let t: TestDb | undefined;
afterEach(async () => t?.close());

describe("job store", () => {
  it("migrations create every table in an empty file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "studio-migrate-"));
    const file = path.join(dir, "nested", "console.db");
    execFileSync(process.execPath, ["scripts/migrate.mjs"], {
      env: { ...process.env, DATABASE_URL: `file:${file}`, MIGRATE_QUIET: "1" },
    });
    expect(fs.existsSync(file)).toBe(true);
    // A second deploy is a no-op, not an error: `npm start` runs it every time.
    execFileSync(process.execPath, ["scripts/migrate.mjs"], {
      env: { ...process.env, DATABASE_URL: `file:${file}`, MIGRATE_QUIET: "1" },
    });
  });

  it("uses WAL and a busy timeout", async () => {
    t = openTestDb();
    await dbReady(t.db);
    const [mode] = await t.db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    expect(mode.journal_mode).toBe("wal");
    const [busy] = await t.db.$queryRawUnsafe<{ timeout: bigint | number }[]>("PRAGMA busy_timeout");
    expect(Number(busy.timeout)).toBe(5000);
  });

  it("reads and writes every model", async () => {
    t = openTestDb();
    const { db } = t;
    const user = await db.user.create({ data: { username: "ada", usernameKey: "ada", passwordHash: "scrypt$x", role: "admin" } });
    const session = await db.session.create({
      data: { tokenHash: "h1", userId: user.id, expiresAt: new Date(Date.now() + 1000) },
    });
    const env = await db.environment.create({ data: { name: "staging", settings: JSON.stringify({ region: "eu-west-1" }) } });
    const run = await db.run.create({ data: { environmentId: env.id, kind: "apply", actor: "ada" } });
    await db.stepRun.create({ data: { runId: run.id, key: "identity", output: JSON.stringify({ accountId: "1" }) } });
    await db.runLog.create({ data: { runId: run.id, stepKey: "identity", level: "info", message: "hello", requestId: "r-1" } });
    await db.auditEvent.create({ data: { actor: "ada", action: "environment.create", environmentId: env.id } });

    const read = await db.run.findUniqueOrThrow({ where: { id: run.id }, include: { steps: true, logs: true, environment: true } });
    expect(read.environment.name).toBe("staging");
    expect(read.steps.map((s) => [s.key, s.status, JSON.parse(s.output!)])).toEqual([["identity", "pending", { accountId: "1" }]]);
    expect(read.logs.map((l) => [l.message, l.requestId])).toEqual([["hello", "r-1"]]);
    expect((await db.session.findUniqueOrThrow({ where: { id: session.id } })).userId).toBe(user.id);
    expect(await db.auditEvent.count({ where: { environmentId: env.id } })).toBe(1);

    // Deleting an environment removes its runs (cascade) and keeps its audit trail (set null).
    await db.environment.delete({ where: { id: env.id } });
    expect(await db.run.count()).toBe(0);
    expect(await db.runLog.count()).toBe(0);
    expect((await db.auditEvent.findFirstOrThrow()).environmentId).toBeNull();
  });
});
