// A throw-away job store at the scale the pages benchmark asks for (by default 1,000 runs, 8,000 step rows,
// 100,000 log lines, 5,000 audit events over 20 environments), plus sessions to sign the benchmark's clients in.
// Written straight with better-sqlite3 in one transaction (the shape the runner stores; see
// e2e/support/job-store.ts); the schema comes from the real migrations.
import Database from "better-sqlite3";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { seal } from "@/lib/auth/seal";
import { VALID_SETTINGS } from "@/tests/support/settings";
import { ROOT } from "./console-server";

export interface SeedSize {
  environments: number;
  runs: number;
  stepsPerRun: number;
  logsPerRun: number;
  auditEvents: number;
  /** Signed-in sessions handed back as cookie values (a session holds at most a few event streams). */
  sessions: number;
  /** Settings every environment gets on top of the tests' valid ones (a name and bucket of its own). */
  settings?: Record<string, unknown>;
}

export const PAGES_SCALE: SeedSize = { environments: 20, runs: 1000, stepsPerRun: 8, logsPerRun: 100, auditEvents: 5000, sessions: 1 };

const STEP_KEYS = ["identity", "discover", "oidc-provider", "rds-role", "s3-role", "s3-bucket", "s3-bucket-policy", "rds-iam-auth", "db-grants"];
const time = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");

export interface SeededStore {
  dir: string;
  file: string;
  sessionSecret: string;
  /** `studio_session=<sealed>` headers, one per session, all of the admin user. */
  cookies: string[];
  environmentIds: string[];
  runIds: string[];
  remove(): void;
}

export function seedStore(size: SeedSize, extra?: (db: Database.Database) => void): SeededStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "studio-bench-store-"));
  const file = path.join(dir, "console.db");
  execFileSync(process.execPath, [path.join(ROOT, "scripts/migrate.mjs")], { env: { ...process.env, DATABASE_URL: `file:${file}` }, stdio: "pipe" });
  const sessionSecret = randomBytes(32).toString("hex");
  const db = new Database(file, { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  const now = Date.now();
  const environmentIds: string[] = [];
  const runIds: string[] = [];
  const cookies: string[] = [];
  db.transaction(() => {
    const userId = "bench-admin";
    db.prepare(
      `INSERT INTO "User" ("id", "username", "usernameKey", "passwordHash", "role", "mustChangePassword", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, 'admin', 0, ?, ?)`,
    ).run(userId, "bench-admin", "bench-admin", "scrypt$unusable", time(now), time(now));
    const session = db.prepare(`INSERT INTO "Session" ("id", "tokenHash", "userId", "expiresAt", "createdAt") VALUES (?, ?, ?, ?, ?)`);
    for (let i = 0; i < size.sessions; i++) {
      const token = randomBytes(32).toString("base64url");
      const exp = now + 6 * 3600_000;
      session.run(`bench-session-${i}`, createHash("sha256").update(token).digest("hex"), userId, time(exp), time(now));
      cookies.push(`studio_session=${seal({ token, exp }, sessionSecret)}`);
    }

    const env = db.prepare(`INSERT INTO "Environment" ("id", "name", "settings", "draft", "wizardStep", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, 'review', ?, ?)`);
    const plan = db.prepare(`INSERT INTO "Plan" ("id", "environmentId", "createdAt", "actor", "settings", "facts", "fingerprint", "plan") VALUES (?, ?, ?, 'bench-admin', ?, ?, 'bench', ?)`);
    const facts = JSON.stringify({ identity: { accountId: "123456789012", partition: "aws", arn: "arn:aws:iam::123456789012:user/bench" } });
    for (let e = 0; e < size.environments; e++) {
      const id = `bench-env-${e}`;
      const name = `bench-${String(e).padStart(2, "0")}`;
      const settings = JSON.stringify({ ...VALID_SETTINGS, name, bucketName: `studio-shared-storage-${name}`, ...size.settings });
      env.run(id, name, settings, settings, time(now - 30 * 86400_000), time(now));
      plan.run(`bench-plan-${e}`, id, time(now - 86400_000), settings, facts, JSON.stringify({ steps: [], warnings: [] }));
      environmentIds.push(id);
    }

    const run = db.prepare(
      `INSERT INTO "Run" ("id", "environmentId", "kind", "status", "actor", "settings", "cancelRequested", "createdAt", "startedAt", "finishedAt", "heartbeatAt")
       VALUES (?, ?, ?, ?, 'bench-admin', ?, 0, ?, ?, ?, ?)`,
    );
    const step = db.prepare(
      `INSERT INTO "StepRun" ("id", "runId", "key", "status", "attempt", "progress", "position", "startedAt", "finishedAt", "output") VALUES (?, ?, ?, ?, 1, 1, ?, ?, ?, ?)`,
    );
    const log = db.prepare(`INSERT INTO "RunLog" ("runId", "stepKey", "level", "message", "requestId", "at") VALUES (?, ?, ?, ?, ?, ?)`);
    for (let r = 0; r < size.runs; r++) {
      const id = `bench-run-${String(r).padStart(5, "0")}`;
      const environmentId = environmentIds[r % environmentIds.length];
      // Oldest first, a few minutes apart; every tenth run failed, every fifth a verify.
      const started = now - (size.runs - r) * 300_000;
      const status = r % 10 === 9 ? "failed" : "succeeded";
      const settings = JSON.stringify({ ...VALID_SETTINGS, name: `bench-${String(r % environmentIds.length).padStart(2, "0")}` });
      run.run(id, environmentId, r % 5 === 4 ? "verify" : "apply", status, settings, time(started), time(started), time(started + 95_000), time(started + 95_000));
      for (let s = 0; s < size.stepsPerRun; s++) {
        const key = STEP_KEYS[s % STEP_KEYS.length];
        const output = JSON.stringify({ arn: `arn:aws:iam::123456789012:role/studio-${key}` });
        step.run(`${id}-step-${s}`, id, key, "succeeded", s, time(started + s * 10_000), time(started + s * 10_000 + 9_000), output);
      }
      for (let l = 0; l < size.logsPerRun; l++) {
        const key = STEP_KEYS[Math.floor((l * size.stepsPerRun) / size.logsPerRun) % STEP_KEYS.length];
        log.run(
          id,
          key,
          l % 25 === 24 ? "warn" : "info",
          `${key}: iam:GetRole studio-staging-rds-role → unchanged (trust policy and permission policy match the plan), line ${l}`,
          `req-${r}-${l}-${randomBytes(4).toString("hex")}`,
          time(started + l * 900),
        );
      }
      runIds.push(id);
    }

    const auditEvent = db.prepare(`INSERT INTO "AuditEvent" ("at", "actor", "action", "environmentId", "detail") VALUES (?, ?, ?, ?, ?)`);
    const actions = ["environment.create", "environment.settings", "plan.refresh", "run.apply", "run.verify", "values.download", "user.create"];
    for (let a = 0; a < size.auditEvents; a++) {
      const action = actions[a % actions.length];
      auditEvent.run(
        time(now - (size.auditEvents - a) * 60_000),
        a % 3 ? "bench-admin" : "bench-viewer",
        action,
        environmentIds[a % environmentIds.length],
        JSON.stringify({ note: `${action} number ${a}`, run: runIds[a % runIds.length] ?? null }),
      );
    }
    extra?.(db);
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  return { dir, file, sessionSecret, cookies, environmentIds, runIds, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
