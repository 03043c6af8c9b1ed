// Writes a run's transitions and log lines to the store and then tells subscribers, redacting every text
// on the way: the one path by which the runner and the service record anything about a run.
import "server-only";
import type { Db } from "../db-client";
import type { LogLevel, StepKey } from "../steps/types";
import type { RunEvents } from "./events";
import type { Redact } from "./secrets";
import type { RunStatus, StepStatus } from "./status";
import { appendLog, transitionRun } from "./store";
import { toLogLine } from "./view";

export interface Recorder {
  readonly runId: string;
  readonly redact: Redact;
  log(stepKey: StepKey | null, level: LogLevel, message: string, requestId?: string | null): Promise<void>;
  /** Conditional run transition (see store.transitionRun), then an event. */
  run(from: readonly RunStatus[], to: RunStatus, data?: { workerId?: string; error?: string | null; ownedBy?: string }): Promise<void>;
  step(key: StepKey, status: StepStatus, change?: { attempt?: number; progress?: number; error?: string | null }): void;
}

export function createRecorder(db: Db, events: RunEvents, runId: string, redact: Redact): Recorder {
  return {
    runId,
    redact,
    async log(stepKey, level, message, requestId) {
      const row = await appendLog(db, {
        runId,
        stepKey,
        level,
        message: redact(message),
        requestId: requestId ? redact(requestId) : null,
      });
      events.emit({ type: "log", runId, line: toLogLine(row) });
    },
    async run(from, to, data = {}) {
      const error = data.error == null ? data.error : redact(data.error);
      await transitionRun(db, runId, from, to, { ...data, error });
      events.emit({ type: "run", runId, status: to, error: error ?? null });
    },
    step(key, status, change = {}) {
      events.emit({ type: "step", runId, key, status, ...change });
    },
  };
}

/** An error's message, for a log line or a status column (stack traces stay out of the store). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === "string" ? error : "unknown error";
}
