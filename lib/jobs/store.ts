// The job store: a run is a row plus its step rows and an append-only log. Every status change is a
// conditional update (UPDATE ... WHERE status IN (expected), count checked), so two workers can never both
// claim a run or a step; a count of 0 is a TransitionConflictError.
//
// Writes are single autocommit statements ($executeRaw), not Prisma's updateMany/createMany: those wrap the
// statement in BEGIN ... COMMIT across awaits, and better-sqlite3 waits for a lock synchronously, so two
// connections in one process (two services on one file) could stall each other for the whole busy timeout.
import "server-only";
import { randomUUID } from "node:crypto";
import { inOneTransaction, sqliteTime, type Db } from "../db-client";
import { Prisma } from "../generated/prisma/client";
import type { LogLevel, RunChoices, StepKey } from "../steps/types";
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
  /** The saved plan an apply executes. */
  planId: string | null;
  /** The validated settings (JSON, no secrets). */
  settings: string;
  /** The run form's choices beyond the reviewed plan (adoptions confirmed, pending RDS changes acknowledged). */
  choices?: RunChoices;
  steps: { key: StepKey; position: number; status: "pending" | "skipped" }[];
}

/** Is this the partial unique index `Run_one_active_per_environment` refusing a second active run? */
function isActiveRunViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const text = `${error.message} ${JSON.stringify(error.meta ?? {})}`;
  const unique = error.code === "P2002" || text.includes("UniqueConstraintViolation");
  return unique && text.includes("environmentId");
}

const list = (values: readonly string[]) => Prisma.join(values.map((v) => Prisma.sql`${v}`));

async function activeRunError(db: Db, environmentId: string): Promise<ActiveRunError> {
  const active = await findActiveRun(db, environmentId);
  return new ActiveRunError(environmentId, active?.id ?? null);
}

/**
 * Creates a queued run with one step row per step; refused when another run of the environment is active.
 * Two statements: if the second fails, the first is undone so no step-less run blocks the environment.
 */
export async function createRun(db: Db, input: NewRun): Promise<RunRow> {
  let run: RunRow;
  try {
    run = await db.run.create({
      data: {
        environmentId: input.environmentId,
        kind: input.kind,
        actor: input.actor,
        planId: input.planId,
        settings: input.settings,
        ...(input.choices && Object.keys(input.choices).length ? { choices: JSON.stringify(input.choices) } : {}),
        status: "queued",
      },
    });
  } catch (error) {
    if (isActiveRunViolation(error)) throw await activeRunError(db, input.environmentId);
    throw error;
  }
  if (input.steps.length === 0) return run;
  try {
    const rows = input.steps.map(
      (s) => Prisma.sql`(${randomUUID()}, ${run.id}, ${s.key}, ${s.status}, 0, 0, ${s.position})`,
    );
    await db.$executeRaw`INSERT INTO "StepRun" ("id", "runId", "key", "status", "attempt", "progress", "position")
      VALUES ${Prisma.join(rows)}`;
  } catch (error) {
    await db.$executeRaw`DELETE FROM "Run" WHERE "id" = ${run.id}`;
    throw error;
  }
  return run;
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
  data: { workerId?: string; error?: string | null; ownedBy?: string } = {},
): Promise<void> {
  const now = new Date();
  const sets = [Prisma.sql`"status" = ${to}`];
  if (to === "running") {
    // A resumed run keeps its original start time.
    sets.push(
      Prisma.sql`"workerId" = ${data.workerId ?? null}`,
      Prisma.sql`"heartbeatAt" = ${now}`,
      Prisma.sql`"startedAt" = COALESCE("startedAt", ${now})`,
      Prisma.sql`"finishedAt" = NULL`,
      Prisma.sql`"error" = NULL`,
      Prisma.sql`"cancelRequested" = 0`,
    );
  } else if (to !== "queued") {
    sets.push(Prisma.sql`"finishedAt" = ${now}`);
  }
  if (data.error !== undefined) sets.push(Prisma.sql`"error" = ${data.error}`);
  let count: number;
  try {
    // A worker ending its run is fenced on owning it: one that lost the run can never overwrite the new owner's.
    const owned = data.ownedBy === undefined ? Prisma.empty : Prisma.sql` AND "workerId" = ${data.ownedBy}`;
    count = await db.$executeRaw`UPDATE "Run" SET ${Prisma.join(sets)} WHERE "id" = ${runId} AND "status" IN (${list(from)})${owned}`;
  } catch (error) {
    if (isActiveRunViolation(error)) {
      const run = await db.run.findUnique({ where: { id: runId }, select: { environmentId: true } });
      throw await activeRunError(db, run?.environmentId ?? "unknown");
    }
    throw error;
  }
  if (count === 0) throw new TransitionConflictError(`Run ${runId}`, from, to);
}

/** Records that a fresh observation matched the run's saved plan: from now on a resume expects the run's own changes. */
export async function markPlanChecked(db: Db, runId: string): Promise<void> {
  await db.$executeRaw`UPDATE "Run" SET "planCheckedAt" = ${new Date()} WHERE "id" = ${runId}`;
}

/**
 * The owner's heartbeat. `owned: false` when the run is no longer running under this worker (recovered as
 * interrupted, or resumed by another): the caller must stop without writing further.
 */
export async function heartbeat(db: Db, runId: string, workerId: string): Promise<{ owned: boolean; cancelRequested: boolean }> {
  const count = await db.$executeRaw`UPDATE "Run" SET "heartbeatAt" = ${new Date()}
    WHERE "id" = ${runId} AND "status" = 'running' AND "workerId" = ${workerId}`;
  if (count === 0) return { owned: false, cancelRequested: false };
  const run = await db.run.findUnique({ where: { id: runId }, select: { cancelRequested: true } });
  return { owned: true, cancelRequested: run?.cancelRequested ?? false };
}

/** Flags a running run for cancellation, for the owner to notice (in process at once, elsewhere at its heartbeat). */
export async function requestCancel(db: Db, runId: string): Promise<boolean> {
  const count = await db.$executeRaw`UPDATE "Run" SET "cancelRequested" = 1 WHERE "id" = ${runId} AND "status" = 'running'`;
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
  const count = await db.$executeRaw`UPDATE "StepRun"
    SET "status" = 'running', "attempt" = ${attempt + 1}, "startedAt" = ${new Date()}, "finishedAt" = NULL,
        "error" = NULL, "progress" = 0
    WHERE "runId" = ${runId} AND "key" = ${key} AND "status" IN (${list(from)}) AND "attempt" = ${attempt}`;
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
  const sets = [Prisma.sql`"status" = ${to}`, Prisma.sql`"finishedAt" = ${new Date()}`, Prisma.sql`"error" = ${data.error ?? null}`];
  if (data.output !== undefined) sets.push(Prisma.sql`"output" = ${data.output}`);
  if (to === "succeeded") sets.push(Prisma.sql`"progress" = 1`);
  const count = await db.$executeRaw`UPDATE "StepRun" SET ${Prisma.join(sets)}
    WHERE "runId" = ${runId} AND "key" = ${key} AND "status" = 'running' AND "attempt" = ${attempt}`;
  if (count === 0) throw new TransitionConflictError(`Step ${key} of run ${runId} (attempt ${attempt})`, ["running"], to);
}

/** Stores what a running attempt has produced so far (its checkpoint), before it acts further. */
export async function checkpointStep(db: Db, runId: string, key: StepKey, attempt: number, output: string): Promise<void> {
  const count = await db.$executeRaw`UPDATE "StepRun" SET "output" = ${output}
    WHERE "runId" = ${runId} AND "key" = ${key} AND "status" = 'running' AND "attempt" = ${attempt}`;
  if (count === 0) throw new TransitionConflictError(`Step ${key} of run ${runId} (attempt ${attempt})`, ["running"], "checkpointed");
}

export async function setStepProgress(db: Db, runId: string, key: StepKey, attempt: number, fraction: number): Promise<void> {
  const progress = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  await db.$executeRaw`UPDATE "StepRun" SET "progress" = ${progress}
    WHERE "runId" = ${runId} AND "key" = ${key} AND "status" = 'running' AND "attempt" = ${attempt}`;
}

/** Moves every step of a run in one of `from` to `to` (cancel the unfinished, interrupt the running). */
export async function markSteps(db: Db, runId: string, from: readonly StepStatus[], to: StepStatus): Promise<StepKey[]> {
  const rows = await db.stepRun.findMany({ where: { runId, status: { in: [...from] } }, select: { key: true } });
  const moved: StepKey[] = [];
  for (const { key } of rows) {
    const count = await db.$executeRaw`UPDATE "StepRun" SET "status" = ${to}, "finishedAt" = ${new Date()}
      WHERE "runId" = ${runId} AND "key" = ${key} AND "status" IN (${list(from)})`;
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
  const count = await db.$executeRaw`UPDATE "Run" SET "status" = 'interrupted', "finishedAt" = ${new Date()}, "workerId" = NULL
    WHERE "id" = ${runId} AND "status" IN (${list(ACTIVE_RUN_STATUSES)})
      AND COALESCE("heartbeatAt", "createdAt") < ${cutoff}`;
  return count > 0;
}

export interface RecoveredRun {
  runId: string;
  /** Steps that were `running` and are now `interrupted`. */
  steps: StepKey[];
}

/**
 * Start-up recovery as ONE transaction: every active run whose last sign of life is before `cutoff` (and is not
 * one of `live`, executing in this process) becomes `interrupted` together with its running steps and a log
 * line saying so; steps a crash left `running` under a run that had already stopped become `interrupted` too.
 * All of it or none of it: a failure half-way never leaves an interrupted run with a running step.
 */
export function recoverStaleRuns(db: Db, cutoff: Date, live: readonly string[], message: string): RecoveredRun[] {
  const now = sqliteTime(new Date());
  const active = ACTIVE_RUN_STATUSES.map((s) => `'${s}'`).join(", ");
  return inOneTransaction(db, (conn) => {
    const stale = conn
      .prepare(`SELECT "id" FROM "Run" WHERE "status" IN (${active}) AND COALESCE("heartbeatAt", "createdAt") < ?`)
      .all(sqliteTime(cutoff)) as { id: string }[];
    const runningSteps = conn.prepare(`SELECT "key" FROM "StepRun" WHERE "runId" = ? AND "status" = 'running'`);
    const interruptSteps = conn.prepare(`UPDATE "StepRun" SET "status" = 'interrupted', "finishedAt" = ? WHERE "runId" = ? AND "status" = 'running'`);
    const interruptRun = conn.prepare(`UPDATE "Run" SET "status" = 'interrupted', "finishedAt" = ?, "workerId" = NULL WHERE "id" = ? AND "status" IN (${active})`);
    const log = conn.prepare(`INSERT INTO "RunLog" ("runId", "stepKey", "level", "message", "at") VALUES (?, NULL, 'warn', ?, ?)`);
    const recovered: RecoveredRun[] = [];
    for (const { id } of stale) {
      if (live.includes(id)) continue;
      const steps = (runningSteps.all(id) as { key: StepKey }[]).map((r) => r.key);
      interruptSteps.run(now, id);
      interruptRun.run(now, id);
      log.run(id, message, now);
      recovered.push({ runId: id, steps });
    }
    // Leftovers of an older crash: a stopped run cannot have a running step.
    conn
      .prepare(
        `UPDATE "StepRun" SET "status" = 'interrupted', "finishedAt" = ?
          WHERE "status" = 'running' AND "runId" IN (SELECT "id" FROM "Run" WHERE "status" NOT IN (${active}))`,
      )
      .run(now);
    return recovered;
  });
}

export function parseOutput(text: string | null): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
