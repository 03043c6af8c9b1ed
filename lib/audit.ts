// The audit trail: who did what, when, to which environment. Details are plain facts, never secrets.
import "server-only";
import { db } from "./db";
import { logger } from "./log";
import { connectionChanges, type ConnectionSettings } from "./postgres/connect";

export async function audit(actor: string, action: string, environmentId?: string | null, detail?: Record<string, unknown>) {
  await db.auditEvent.create({
    data: { actor, action, environmentId: environmentId ?? null, detail: detail ? JSON.stringify(detail) : null },
  });
  logger.info("audit", { actor, action, environmentId, ...detail });
}

/**
 * Audits a change of where or how the console connects to the database (host, port, TLS mode, CA), one event with
 * every field's before and after; nothing when nothing changed.
 */
export async function auditConnectionChanges(
  actor: string,
  environmentId: string,
  before: Partial<ConnectionSettings> | null,
  after: Partial<ConnectionSettings>,
) {
  const changes = connectionChanges(before, after);
  if (changes.length) await audit(actor, "environment.connection-change", environmentId, { changes });
  return changes;
}
