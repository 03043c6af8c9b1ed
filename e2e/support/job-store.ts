// Direct writes to the running console's job store, for states a browser cannot reach by clicking (a run a
// crash left behind, an environment as an older version saved it). better-sqlite3 on the same WAL file.
import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";

const time = (d = new Date()) => d.toISOString().replace("Z", "+00:00");

export function withJobStore<T>(work: (db: Database.Database) => T): T {
  const db = new Database(process.env.E2E_DATABASE_FILE!, { timeout: 5000 });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/**
 * An environment with saved settings and a saved plan that read the account (so its values page works: the role
 * ARNs come from the plan's identity). The plan lists no changes: these environments are never applied.
 */
export function insertEnvironment(name: string, settings: Record<string, unknown>): string {
  const id = `e2e-${randomUUID()}`;
  const saved = JSON.stringify({ ...settings, name });
  const facts = JSON.stringify({ identity: { accountId: "123456789012", partition: "aws", arn: "arn:aws:iam::123456789012:user/e2e" } });
  withJobStore((db) => {
    db.prepare(`INSERT INTO "Environment" ("id", "name", "settings", "draft", "wizardStep", "createdAt", "updatedAt") VALUES (?, ?, ?, '{}', 'review', ?, ?)`).run(
      id,
      name,
      saved,
      time(),
      time(),
    );
    db.prepare(`INSERT INTO "Plan" ("id", "environmentId", "createdAt", "actor", "settings", "facts", "fingerprint", "plan") VALUES (?, ?, ?, 'e2e', ?, ?, 'e2e', ?)`).run(
      `e2e-plan-${randomUUID()}`,
      id,
      time(),
      saved,
      facts,
      JSON.stringify({ steps: [], warnings: [] }),
    );
  });
  return id;
}

/** A run with one step, in the given states, as the runner would have stored it. */
export function insertRun(environmentId: string, status: string, stepStatus: string): string {
  const id = `e2e-run-${randomUUID()}`;
  withJobStore((db) => {
    db.prepare(
      `INSERT INTO "Run" ("id", "environmentId", "kind", "status", "actor", "settings", "cancelRequested", "createdAt", "startedAt", "heartbeatAt")
       VALUES (?, ?, 'apply', ?, 'e2e', '{}', 0, ?, ?, ?)`,
    ).run(id, environmentId, status, time(), time(), time());
    db.prepare(`INSERT INTO "StepRun" ("id", "runId", "key", "status", "attempt", "progress", "position", "startedAt") VALUES (?, ?, 'identity', ?, 1, 0.5, 0, ?)`).run(
      randomUUID(),
      id,
      stepStatus,
      time(),
    );
  });
  return id;
}

export function finishRun(runId: string): void {
  withJobStore((db) => {
    db.prepare(`UPDATE "StepRun" SET "status" = 'succeeded', "progress" = 1, "finishedAt" = ? WHERE "runId" = ?`).run(time(), runId);
    db.prepare(`UPDATE "Run" SET "status" = 'succeeded', "finishedAt" = ? WHERE "id" = ?`).run(time(), runId);
    db.prepare(`INSERT INTO "RunLog" ("runId", "stepKey", "level", "message", "at") VALUES (?, NULL, 'info', 'Finished elsewhere', ?)`).run(runId, time());
  });
}
