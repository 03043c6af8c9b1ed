// Refused actions in the audit log: who tried what without the role for it. The environment is linked when the
// action's first bound argument is an existing environment's id (the wizard, plan and run actions bind it first).
import "server-only";
import { audit } from "../audit";
import { db } from "../db";
import { logger } from "../log";

export async function auditRefusal(username: string, action: string, role: string, firstArg: unknown) {
  try {
    const id = typeof firstArg === "string" && firstArg.length <= 64 ? firstArg : null;
    const env = id ? await db.environment.findUnique({ where: { id }, select: { id: true } }) : null;
    await audit(username, "action.refused", env?.id ?? null, { refused: action, role, rule: `${action} requires the admin role` });
  } catch (err) {
    // The refusal itself must stand even when the audit write fails.
    logger.warn("refusal not audited", { action, error: (err as Error).message });
  }
}
