// The environment's latest proof of access: its newest finished access run and the matrix it stored, for the
// environment page (viewers too). History keeps every earlier one as a run.
import "server-only";
import { storedMatrix } from "../access/stored";
import type { AccessMatrix } from "../access/types";
import { db } from "../db";
import type { Check } from "../steps/types";

export interface AccessProof {
  runId: string;
  status: string;
  actor: string;
  finishedAt: Date | null;
  /** Why the check failed (also when no matrix could be evaluated). */
  error: string | null;
  checks: Check[];
  matrix: AccessMatrix | null;
}

function parse(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The newest access run that finished (succeeded or failed), or null when none has. */
export async function latestAccessProof(environmentId: string): Promise<AccessProof | null> {
  const run = await db.run.findFirst({
    where: { environmentId, kind: "access", status: { in: ["succeeded", "failed"] } },
    orderBy: { createdAt: "desc" },
    include: { steps: true },
  });
  if (!run) return null;
  const output = parse(run.steps[0]?.output ?? null);
  return {
    runId: run.id,
    status: run.status,
    actor: run.actor,
    finishedAt: run.finishedAt,
    error: run.steps[0]?.error ?? run.error,
    checks: Array.isArray(output?.checks) ? (output.checks as Check[]) : [],
    matrix: storedMatrix(output),
  };
}
