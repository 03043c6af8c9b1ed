// Runs that are one long task rather than the step catalogue: the cluster check, the model copy Job and the
// model upload from a folder. Stored like the others (a Run with one StepRun and the append-only log), so they
// show in the history and on the run page with a progress bar; the work itself is a function the caller hands
// over (lib/cluster-runs, lib/models). They are not resumed: starting one again picks up where it stopped (the
// copy and the upload skip what is already in the bucket).
import "server-only";
import type { Db } from "../db-client";
import type { EnvironmentSettings } from "../config/environment";
import type { LogLevel } from "../steps/types";
import { RunCancelledError, TransitionConflictError } from "./errors";
import { errorMessage, type Recorder } from "./recorder";
import { redactDeep } from "./secrets";
import { checkpointStep, claimStep, finishStep, heartbeat, setStepProgress } from "./store";

export const TASK_KINDS = ["cluster-check", "model-copy", "model-upload"] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** The one step row of a task run is named after its kind; its title on the run page. */
export const TASK_TITLES: Record<TaskKind, string> = {
  "cluster-check": "Check Studio's pods in the cluster",
  "model-copy": "Copy the models from the volume to S3 (Kubernetes Job)",
  "model-upload": "Upload the models from a folder to S3",
};

export function isTaskKind(kind: string): kind is TaskKind {
  return (TASK_KINDS as readonly string[]).includes(kind);
}

export interface TaskContext {
  settings: EnvironmentSettings;
  signal: AbortSignal;
  log(level: LogLevel, message: string): Promise<void>;
  /** 0..1: the run page's progress bar. */
  progress(fraction: number): Promise<void>;
  /** Stores what the task has found so far (shown on the run page; read by the environment page). */
  checkpoint(output: Record<string, unknown>): Promise<void>;
}

export interface TaskOutcome {
  output: Record<string, unknown>;
  /** Set when the task finished its work but the result is a failure (a check failed, files failed to copy). */
  failure?: string;
}

export interface Task {
  kind: TaskKind;
  run(ctx: TaskContext): Promise<TaskOutcome>;
}

/** Executes a claimed task run to its end; `controller` is the handle cancel aborts. */
export async function executeTask(
  deps: { db: Db; heartbeatMs: number; workerId: string },
  rec: Recorder,
  task: Task,
  settings: EnvironmentSettings,
  controller: AbortController,
): Promise<void> {
  const { db } = deps;
  const key = task.kind;
  const attempt = await claimStep(db, rec.runId, key, ["pending"], 0);
  rec.step(key, "running", { attempt });
  let lost = false;
  const timer = setInterval(() => {
    heartbeat(db, rec.runId, deps.workerId)
      .then(({ owned, cancelRequested }) => {
        if (!owned) lost = true;
        if (!owned || cancelRequested) controller.abort(new RunCancelledError(rec.runId));
      })
      .catch(() => undefined);
  }, deps.heartbeatMs);
  timer.unref?.();
  const ctx: TaskContext = {
    settings,
    signal: controller.signal,
    log: (level, message) => rec.log(key, level, message),
    async progress(fraction) {
      await setStepProgress(db, rec.runId, key, attempt, fraction);
      rec.step(key, "running", { progress: fraction });
    },
    checkpoint: (output) => checkpointStep(db, rec.runId, key, attempt, JSON.stringify(redactDeep(output, rec.redact))),
  };
  try {
    const outcome = await task.run(ctx);
    const output = JSON.stringify(redactDeep(outcome.output, rec.redact));
    const to = outcome.failure ? "failed" : "succeeded";
    const error = outcome.failure ? rec.redact(outcome.failure) : null;
    await finishStep(db, rec.runId, key, attempt, to, { output, error });
    rec.step(key, to, { error });
    if (outcome.failure) await rec.log(key, "error", outcome.failure);
    await rec.run(["running"], to, { error, ownedBy: deps.workerId });
    await rec.log(null, to === "succeeded" ? "info" : "error", `${TASK_TITLES[key]}: ${to}`);
  } catch (err) {
    if (lost) return;
    const cancelled = controller.signal.aborted;
    const message = rec.redact(cancelled ? "Cancelled" : errorMessage(err));
    const to = cancelled ? "cancelled" : "failed";
    try {
      await finishStep(db, rec.runId, key, attempt, to, { error: message });
      rec.step(key, to, { error: message });
      await rec.log(key, cancelled ? "warn" : "error", message);
      await rec.run(["running"], to, { error: message, ownedBy: deps.workerId });
    } catch (secondary) {
      if (!(secondary instanceof TransitionConflictError)) throw secondary;
    }
  } finally {
    clearInterval(timer);
  }
}
