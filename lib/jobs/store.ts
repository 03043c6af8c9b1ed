// The job store: a run is a row plus its step rows and an append-only log. Every status change is a
// conditional update (`updateMany` on the expected status, count checked), so two workers can never both
// claim a run or a step; a count of 0 is a TransitionConflictError.
import "server-only";
import type { Db } from "../db-client";
import { Prisma } from "../generated/prisma/client";
import type { LogLevel, StepKey, StepOutput } from "../steps/types";
import { ActiveRunError, RunNotFoundError, TransitionConflictError } from "./errors";
import { ACTIVE_RUN_STATUSES, type RunKind, type RunStatus, type StepStatus } from "./status";

export type RunRow = Prisma.RunGetPayload<object>;
export type StepRunRow = Prisma.StepRunGetPayload<object>;
export type RunLogRow = Prisma.RunLogGetPayload<object>;
export type RunWithSteps = RunRow & { steps: StepRunRow[] };

export interface NewRun {
  environmentId: string;
  kind: RunKind;
  actor: string;
  /** JSON texts, already redacted. */
  plan: string | null;
  settings: string;
  steps: { key: StepKey; position: number; status: "pending" | "skipped" }[];
}

/** Is this the partial unique index `Run_one_active_per_environment` refusing a second active run? */
function isActiveRunViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") return false;
  const text = `${error.message} ${JSON.stringify(error.meta ?? {})}`;
  return text.includes("environmentId") || text.includes("Run_one_active_per_environment");
}

async function activeRunError(db: Db, environmentId: string): Promise<ActiveRunError> {
  const active = await findActiveRun(db, environmentId);
  return new ActiveRunError(environmentId, active?.id ?? null);
}

/** Creates a queued run with one step row per step, in one transaction; refused when another is active. */
export async function createRun(db: Db, input: NewRun): Promise<RunRow> {
  try {
    return await db.run.create({
      data: {
        environmentId: input.environmentId,
        kind: input.kind,
        actor: input.actor,
        plan: input.plan,
        settings: input.settings,
        status: "queued",
        steps: { create: input.steps.map((s) => ({ key: s.key, position: s.position, status: s.status })) },
      },
    });
  } catch (error) {
    if (isActiveRunViolation(error)) throw await activeRunError(db, input.environmentId);
    throw error;
  }
}

export function findActiveRun(db: Db, environmentId: string): Promise<RunRow | null> {
  return db.run.findFirst({ where: { environmentId, status: { in: [...ACTIVE_RUN_STATUSES] } } });
}

export async function getRunOrThrow(db: Db, runId: string): Promise<RunWithSteps> {
  const run = await db.run.findUnique({ where: { id: runId }, include: { steps: { orderBy: { position: "asc" } } } });
  if (!run) throw new RunNotFoundError(runId);
  return run;
}

/**
 * Moves a run from one of `from` to `to`. Claiming it (`to: "running"`) records the worker that now owns it and
 * a fresh heartbeat; the partial unique index refuses a claim while another run of the environment is active.
 */
export async function transitionRun(
  db: Db,
  runId: string,
  from: readonly RunStatus[],
  to: RunStatus,
  data: { workerId?: string; error?: string | null } = {},
): Promise<void> {
  const now = new Date();
  const claiming = to === "running";
  const finishing = !claiming && to !== "queued";
  let count: number;
  try {
    ({ count } = await db.run.updateMany({
      where: { id: runId, status: { in: [...from] } },
      data: {
        status: to,
        ...(claiming
          ? { workerId: data.workerId ?? null, heartbeatAt: now, finishedAt: null, error: null, cancelRequested: false }
          : {}),
        ...(finishing ? { finishedAt: now } : {}),
        ...(data.error !== undefined ? { error: data.error } : {}),
      },
    }));
  } catch (error) {
    if (isActiveRunViolation(error)) {
      const run = await db.run.findUnique({ where: { id: runId }, select: { environmentId: true } });
      throw await activeRunError(db, run?.environmentId ?? "unknown");
    }
    throw error;
  }
  if (count === 0) throw new TransitionConflictError(`Run ${runId}`, from, to);
  // The first claim stamps the start; a resumed run keeps its original start time.
  if (claiming) await db.run.updateMany({ where: { id: runId, startedAt: null }, data: { startedAt: now } });
}

/**
 * The owner's heartbeat. `owned: false` when the run is no longer running under this worker (recovered as
 * interrupted, or resumed by another): the caller must stop without writing further.
 */
export async function heartbeat(db: Db, runId: string, workerId: string): Promise<{ owned: boolean; cancelRequested: boolean }> {
  const { count } = await db.run.updateMany({
    where: { id: runId, status: "running", workerId },
    data: { heartbeatAt: new Date() },
  });
  if (count === 0) return { owned: false, cancelRequested: false };
  const run = await db.run.findUnique({ where: { id: runId }, select: { cancelRequested: true } });
  return { owned: true, cancelRequested: run?.cancelRequested ?? false };
}

/** Flags a running run for cancellation, for the owner to notice (in process at once, elsewhere at its heartbeat). */
export async function requestCancel(db: Db, runId: string): Promise<boolean> {
  const { count } = await db.run.updateMany({ where: { id: runId, status: "running" }, data: { cancelRequested: true } });
  return count > 0;
}

/**
 * Claims a step for one attempt: `from` status and the attempt number the caller read must both still hold, so
 * of two workers reading the same row only one gets it. Returns the new attempt number (the fencing token every
 * later write of this attempt carries).
 */
export async function claimStep(
  db: Db,
  runId: string,
  key: StepKey,
  from: readonly StepStatus[],
  attempt: number,
): Promise<number> {
  const { count } = await db.stepRun.updateMany({
    where: { runId, key, status: { in: [...from] }, attempt },
    data: { status: "running", attempt: attempt + 1, startedAt: new Date(), finishedAt: null, error: null, progress: 0 },
  });
  if (count === 0) throw new TransitionConflictError(`Step ${key} of run ${runId} (attempt ${attempt})`, from, "running");
  return attempt + 1;
}

/** Ends a running attempt. `output` and `error` are JSON/text already redacted. */
export async function finishStep(
  db: Db,
  runId: string,
  key: StepKey,
  attempt: number,
  to: "succeeded" | "failed" | "cancelled",
  data: { output?: string; error?: string | null },
): Promise<void> {
  const { count } = await db.stepRun.updateMany({
    where: { runId, key, status: "running", attempt },
    data: {
      status: to,
      finishedAt: new Date(),
      error: data.error ?? null,
      ...(data.output !== undefined ? { output: data.output } : {}),
      ...(to === "succeeded" ? { progress: 1 } : {}),
    },
  });
  if (count === 0) throw new TransitionConflictError(`Step ${key} of run ${runId} (attempt ${attempt})`, ["running"], to);
}

/** Stores what a running attempt has produced so far (its checkpoint), before it acts further. */
export async function checkpointStep(db: Db, runId: string, key: StepKey, attempt: number, output: string): Promise<void> {
  const { count } = await db.stepRun.updateMany({ where: { runId, key, status: "running", attempt }, data: { output } });
  if (count === 0) throw new TransitionConflictError(`Step ${key} of run ${runId} (attempt ${attempt})`, ["running"], "checkpointed");
}

export async function setStepProgress(db: Db, runId: string, key: StepKey, attempt: number, fraction: number): Promise<void> {
  const progress = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  await db.stepRun.updateMany({ where: { runId, key, status: "running", attempt }, data: { progress } });
}

/** Moves every step of a run in one of `from` to `to` (cancel the unfinished, interrupt the running). */
export async function markSteps(db: Db, runId: string, from: readonly StepStatus[], to: StepStatus): Promise<StepKey[]> {
  const rows = await db.stepRun.findMany({ where: { runId, status: { in: [...from] } }, select: { key: true } });
  const moved: StepKey[] = [];
  for (const { key } of rows) {
    const { count } = await db.stepRun.updateMany({
      where: { runId, key, status: { in: [...from] } },
      data: { status: to, ...(to === "pending" ? {} : { finishedAt: new Date() }) },
    });
    if (count > 0) moved.push(key as StepKey);
  }
  return moved;
}

export interface NewLogLine {
  runId: string;
  stepKey: StepKey | null;
  level: LogLevel;
  /** Already redacted. */
  message: string;
  requestId?: string | null;
}

export function appendLog(db: Db, line: NewLogLine): Promise<RunLogRow> {
  return db.runLog.create({
    data: { runId: line.runId, stepKey: line.stepKey, level: line.level, message: line.message, requestId: line.requestId ?? null },
  });
}

export function readLogs(db: Db, runId: string, afterId = 0, limit = 1000): Promise<RunLogRow[]> {
  return db.runLog.findMany({ where: { runId, id: { gt: afterId } }, orderBy: { id: "asc" }, take: limit });
}

/** Active runs whose last sign of life (heartbeat, else creation) is before `cutoff`. */
export function findStaleRuns(db: Db, cutoff: Date): Promise<Pick<RunRow, "id" | "status" | "environmentId">[]> {
  return db.run.findMany({
    where: {
      status: { in: [...ACTIVE_RUN_STATUSES] },
      OR: [{ heartbeatAt: { lt: cutoff } }, { heartbeatAt: null, createdAt: { lt: cutoff } }],
    },
    select: { id: true, status: true, environmentId: true },
  });
}

/** Marks one stale run interrupted, conditional on it still being stale (a live owner's heartbeat wins). */
export async function interruptStaleRun(db: Db, runId: string, cutoff: Date): Promise<boolean> {
  const { count } = await db.run.updateMany({
    where: {
      id: runId,
      status: { in: [...ACTIVE_RUN_STATUSES] },
      OR: [{ heartbeatAt: { lt: cutoff } }, { heartbeatAt: null, createdAt: { lt: cutoff } }],
    },
    data: { status: "interrupted", finishedAt: new Date(), workerId: null },
  });
  return count > 0;
}

export function parseOutput(text: string | null): StepOutput | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as StepOutput) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The latest output each step produced in an earlier apply run of the environment: what `only` runs and
 * verify runs hand to steps whose dependencies did not run in this run.
 */
export async function latestApplyOutputs(
  db: Db,
  environmentId: string,
  excludeRunId: string,
): Promise<Partial<Record<StepKey, StepOutput>>> {
  const rows = await db.stepRun.findMany({
    where: { status: "succeeded", output: { not: null }, run: { environmentId, kind: "apply", id: { not: excludeRunId } } },
    orderBy: { finishedAt: "desc" },
    select: { key: true, output: true },
  });
  const out: Partial<Record<StepKey, StepOutput>> = {};
  for (const row of rows) {
    const key = row.key as StepKey;
    if (out[key]) continue;
    const output = parseOutput(row.output);
    if (output) out[key] = output;
  }
  return out;
}
