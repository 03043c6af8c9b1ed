// The audit trail: who did what, when, to which environment. Details are plain facts, never secrets.
import "server-only";
import { db } from "./db";
import { logger } from "./log";

export async function audit(actor: string, action: string, environmentId?: string | null, detail?: Record<string, unknown>) {
  await db.auditEvent.create({
    data: { actor, action, environmentId: environmentId ?? null, detail: detail ? JSON.stringify(detail) : null },
  });
  logger.info("audit", { actor, action, environmentId, ...detail });
}
