// What a progress view reads: a run with its steps (status, attempt, progress, times, error, parsed output)
// and its log lines after a given id. Plain JSON (ISO dates) so a route can send it as is.
import "server-only";
import type { Db } from "../db-client";
import type { EnvironmentSettings } from "../config/environment";
import type { Check, Step, StepKey } from "../steps/types";
import type { LogLine } from "./events";
import type { RunKind, RunStatus, StepStatus } from "./status";
import { readLogs, type RunLogRow } from "./store";
import { isTaskKind, TASK_TITLES } from "./tasks";

export interface StepView {
  key: StepKey;
  title: string | null;
  dependsOn: StepKey[];
  status: StepStatus;
  attempt: number;
  progress: number;
  startedAt: string | null;
  finishedAt: string | null;
  /** Finished minus started; for a running step, so far. */
  durationMs: number | null;
  error: string | null;
  output: Record<string, unknown> | null;
  /** A verify run's checks (also inside `output.checks`). */
  checks: Check[] | null;
}

export interface RunView {
  id: string;
  environmentId: string;
  environmentName: string;
  kind: RunKind;
  status: RunStatus;
  actor: string;
  error: string | null;
  cancelRequested: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  heartbeatAt: string | null;
  durationMs: number | null;
  /** The saved plan an apply executes. */
  planId: string | null;
  /** The settings the run executes with (validated when it started; no secrets). */
  settings: EnvironmentSettings | null;
  steps: StepView[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function duration(start: Date | null, end: Date | null, running: boolean): number | null {
  if (!start) return null;
  if (end) return end.getTime() - start.getTime();
  return running ? Date.now() - start.getTime() : null;
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function asChecks(output: Record<string, unknown> | null): Check[] | null {
  const checks = output?.checks;
  return Array.isArray(checks) ? (checks as Check[]) : null;
}

export async function runView(db: Db, runId: string, catalogue?: ReadonlyMap<StepKey, Step>): Promise<RunView | null> {
  const run = await db.run.findUnique({
    where: { id: runId },
    include: { steps: { orderBy: { position: "asc" } }, environment: { select: { name: true } } },
  });
  if (!run) return null;
  return {
    id: run.id,
    environmentId: run.environmentId,
    environmentName: run.environment.name,
    kind: run.kind as RunKind,
    status: run.status as RunStatus,
    actor: run.actor,
    error: run.error,
    cancelRequested: run.cancelRequested,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    heartbeatAt: iso(run.heartbeatAt),
    durationMs: duration(run.startedAt, run.finishedAt, run.status === "running"),
    planId: run.planId,
    settings: run.settings ? (parseJson(run.settings) as EnvironmentSettings) : null,
    steps: run.steps.map((s) => {
      const parsed = parseJson(s.output);
      const output = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
      const step = catalogue?.get(s.key as StepKey);
      return {
        key: s.key as StepKey,
        title: step?.title ?? (isTaskKind(s.key) ? TASK_TITLES[s.key] : null),
        dependsOn: step ? [...step.dependsOn] : [],
        status: s.status as StepStatus,
        attempt: s.attempt,
        progress: s.progress,
        startedAt: iso(s.startedAt),
        finishedAt: iso(s.finishedAt),
        durationMs: duration(s.startedAt, s.finishedAt, s.status === "running"),
        error: s.error,
        output,
        checks: asChecks(output),
      };
    }),
  };
}

export function toLogLine(row: RunLogRow): LogLine {
  return {
    id: row.id,
    runId: row.runId,
    stepKey: row.stepKey as StepKey | null,
    level: row.level as LogLine["level"],
    message: row.message,
    requestId: row.requestId,
    at: row.at.toISOString(),
  };
}

/** Log lines with an id above `afterId`, oldest first (the SSE route's `Last-Event-ID`). */
export async function logsSince(db: Db, runId: string, afterId = 0, limit = 1000): Promise<LogLine[]> {
  return (await readLogs(db, runId, afterId, limit)).map(toLogLine);
}
