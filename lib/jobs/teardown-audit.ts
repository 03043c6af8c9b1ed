// The end of a teardown run in the audit log: who started it, how it ended and every delete AWS accepted, so the
// audit says what was removed as well as what was planned (the start is audited by the teardown action).
import "server-only";
import type { Db } from "../db-client";
import { logger } from "../log";
import { getRunOrThrow, parseOutput } from "./store";

export async function auditTeardownEnd(db: Db, runId: string, status: string): Promise<void> {
  try {
    const run = await getRunOrThrow(db, runId);
    const removed = run.steps.flatMap((s) => {
      const done = parseOutput(s.output)?.done;
      return Array.isArray(done) ? done.filter((d): d is string => typeof d === "string") : [];
    });
    const detail = { runId, status, removed };
    await db.auditEvent.create({ data: { actor: run.actor, action: "run.teardown-ended", environmentId: run.environmentId, detail: JSON.stringify(detail) } });
    logger.info("audit", { actor: run.actor, action: "run.teardown-ended", environmentId: run.environmentId, ...detail });
  } catch (error) {
    // The run's own record stands; a lost audit line is logged, never a reason to fail the run.
    logger.warn("teardown end not audited", { runId, error: (error as Error).message });
  }
}
