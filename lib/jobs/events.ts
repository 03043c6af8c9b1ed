// In-process push of a run's progress: the runner emits on every log line and status change, a
// server-sent-events route sends a snapshot (runView, logsSince) and then follows these.
import type { StepKey } from "../steps/types";
import type { RunStatus, StepStatus } from "./status";

export interface LogLine {
  id: number;
  runId: string;
  stepKey: StepKey | null;
  level: "info" | "warn" | "error";
  message: string;
  requestId: string | null;
  /** ISO 8601. */
  at: string;
}

export type RunEvent =
  | { type: "run"; runId: string; status: RunStatus; error: string | null }
  /** A step changed (status, progress or checkpoint); fields left out did not change. */
  | { type: "step"; runId: string; key: StepKey; status: StepStatus; attempt?: number; progress?: number; error?: string | null }
  | { type: "log"; runId: string; line: LogLine };

export type RunListener = (event: RunEvent) => void;

export interface RunEvents {
  emit(event: RunEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(runId: string, listener: RunListener): () => void;
}

export function createRunEvents(): RunEvents {
  const listeners = new Map<string, Set<RunListener>>();
  return {
    emit(event) {
      for (const listener of [...(listeners.get(event.runId) ?? [])]) {
        // A broken subscriber (a closed stream) must not break the run it watches.
        try {
          listener(event);
        } catch {
          /* ignored on purpose */
        }
      }
    },
    subscribe(runId, listener) {
      const set = listeners.get(runId) ?? new Set<RunListener>();
      listeners.set(runId, set);
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(runId) === set) listeners.delete(runId);
      };
    },
  };
}
