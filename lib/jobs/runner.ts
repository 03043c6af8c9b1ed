// Executes one claimed run: steps along the dependency graph, independent ones in parallel, every transition
// written to the store before it is acted on, a heartbeat while running, checkpoints, cancellation between
// actions. The caller has already moved the run to `running` under this worker.
import "server-only";
import type { Db } from "../db-client";
import type { EnvironmentSettings } from "../config/environment";
import type { Check, RunSecrets, Step, StepContext, StepKey, StepOutput } from "../steps/types";
import { RunCancelledError, TransitionConflictError } from "./errors";
import type { StepGraph } from "./graph";
import { errorMessage, type Recorder } from "./recorder";
import { redactDeep } from "./secrets";
import { RUNNABLE_STEP_STATUSES, type RunKind, type RunStatus, type StepStatus } from "./status";
import {
  checkpointStep,
  claimStep,
  finishStep,
  getRunOrThrow,
  heartbeat,
  latestApplyOutputs,
  markSteps,
  parseOutput,
  setStepProgress,
} from "./store";

export interface RunnerDeps {
  db: Db;
  graph: StepGraph;
  heartbeatMs: number;
  /** This service instance: heartbeats are conditional on owning the run under this id. */
  workerId: string;
}

/** How an execution ended: a final run status, or `lost` when another worker took the run over. */
export type ExecutionOutcome = RunStatus | "lost";

const RUNNABLE: ReadonlySet<string> = new Set(RUNNABLE_STEP_STATUSES);

/** A dependency that is not part of the run (skipped, or absent from its rows) counts as done. */
function satisfied(status: StepStatus | undefined): boolean {
  return status === undefined || status === "succeeded" || status === "skipped";
}

export class RunExecution {
  readonly controller = new AbortController();
  private stopReason: "cancel" | "lost" | null = null;

  constructor(
    private readonly deps: RunnerDeps,
    private readonly rec: Recorder,
    readonly secrets: RunSecrets,
  ) {}

  get runId(): string {
    return this.rec.runId;
  }

  /** Stops between actions: no new step starts, running steps see `ctx.signal` abort. */
  cancel(): void {
    this.stopReason ??= "cancel";
    this.controller.abort(new RunCancelledError(this.runId));
  }

  /** Someone else owns the run now: stop and write nothing more. */
  private lose(): void {
    this.stopReason = "lost";
    this.controller.abort(new RunCancelledError(this.runId));
  }

  /** Runs the `targets` steps that are runnable, then settles the run's final status. */
  async execute(targets: ReadonlySet<StepKey>): Promise<ExecutionOutcome> {
    const { db, graph } = this.deps;
    const run = await getRunOrThrow(db, this.runId);
    const kind = run.kind as RunKind;
    const env = JSON.parse(run.settings ?? "{}") as EnvironmentSettings;
    const environment = await db.environment.findUniqueOrThrow({ where: { id: run.environmentId }, select: { name: true } });

    const status = new Map<StepKey, StepStatus>();
    const attempts = new Map<StepKey, number>();
    const own = new Map<StepKey, StepOutput | undefined>();
    for (const row of run.steps) {
      const key = row.key as StepKey;
      status.set(key, row.status as StepStatus);
      attempts.set(key, row.attempt);
      own.set(key, parseOutput(row.output));
    }
    // Outputs of earlier apply runs: for dependencies this run skipped, and for every step of a verify run.
    const earlier = await latestApplyOutputs(db, run.environmentId, run.id);

    const outputsFor = (step: Step): Partial<Record<StepKey, StepOutput>> => {
      // Verify compares what is there with what the last apply produced, its own step's output included.
      if (kind === "verify") return { ...earlier };
      const out: Partial<Record<StepKey, StepOutput>> = {};
      const seen = new Set<StepKey>();
      const visit = (key: StepKey) => {
        for (const dep of graph.byKey.get(key)?.dependsOn ?? []) {
          if (seen.has(dep)) continue;
          seen.add(dep);
          const depStatus = status.get(dep);
          const output = depStatus === "succeeded" ? own.get(dep) : earlier[dep];
          if (output) out[dep] = output;
          visit(dep);
        }
      };
      visit(step.key);
      return out;
    };

    const started = new Set<StepKey>();
    const ready = (step: Step) =>
      targets.has(step.key) &&
      !started.has(step.key) &&
      RUNNABLE.has(status.get(step.key) ?? "") &&
      step.dependsOn.every((dep) => satisfied(status.get(dep)));

    const runStep = async (step: Step): Promise<void> => {
      const key = step.key;
      let attempt: number;
      try {
        attempt = await claimStep(db, this.runId, key, RUNNABLE_STEP_STATUSES, attempts.get(key) ?? 0);
      } catch (error) {
        if (error instanceof TransitionConflictError) return this.lose();
        throw error;
      }
      status.set(key, "running");
      attempts.set(key, attempt);
      this.rec.step(key, "running", { attempt, progress: 0, error: null });
      await this.rec.log(key, "info", `${step.title}: started (attempt ${attempt})`);

      const signal = this.controller.signal;
      const ctx: StepContext = {
        env,
        environmentName: environment.name,
        outputs: outputsFor(step),
        previous: kind === "apply" ? own.get(key) : earlier[key],
        secrets: this.secrets,
        signal,
        checkpoint: async (output) => {
          const stored = redactDeep(output, this.rec.redact);
          await checkpointStep(db, this.runId, key, attempt, JSON.stringify(stored));
          own.set(key, stored);
          this.rec.step(key, "running", { attempt });
          // The checkpoint is the line between two actions: after a cancel, the step stops here.
          if (signal.aborted) throw new RunCancelledError(this.runId);
        },
        // A worker that lost the run keeps quiet: the new owner's log is not its to write.
        log: async (level, message, requestId) => {
          if (this.stopReason !== "lost") await this.rec.log(key, level, message, requestId);
        },
        progress: async (fraction) => {
          await setStepProgress(db, this.runId, key, attempt, fraction);
          this.rec.step(key, "running", { attempt, progress: fraction });
        },
      };

      let output: Record<string, unknown> | undefined;
      let failure: unknown = null;
      try {
        if (signal.aborted) throw new RunCancelledError(this.runId);
        if (kind === "apply") {
          output = await step.apply(ctx);
        } else {
          const checks: Check[] = await step.verify(ctx);
          output = { checks };
          const bad = checks.filter((c) => !c.ok);
          if (bad.length > 0) {
            failure = new Error(
              `${bad.length} of ${checks.length} checks failed: ${bad.map((c) => `${c.name} (${c.detail})`).join("; ")}`,
            );
          }
        }
      } catch (error) {
        failure = error;
      }
      if (this.stopReason === "lost") return;

      const to = failure === null ? "succeeded" : this.stopReason === "cancel" ? "cancelled" : "failed";
      const message = failure === null ? null : this.rec.redact(errorMessage(failure));
      const stored = output === undefined ? undefined : redactDeep(output, this.rec.redact);
      try {
        await finishStep(db, this.runId, key, attempt, to, {
          error: message,
          output: stored === undefined ? undefined : JSON.stringify(stored),
        });
      } catch (error) {
        if (error instanceof TransitionConflictError) return this.lose();
        throw error;
      }
      status.set(key, to);
      if (to === "succeeded" && kind === "apply") own.set(key, stored as StepOutput);
      this.rec.step(key, to, { attempt, error: message, ...(to === "succeeded" ? { progress: 1 } : {}) });
      if (to === "succeeded") await this.rec.log(key, "info", `${step.title}: succeeded`);
      else if (to === "cancelled") await this.rec.log(key, "warn", `${step.title}: cancelled (${message})`);
      else await this.rec.log(key, "error", `${step.title}: failed: ${message}`);
    };

    const stopHeartbeat = this.startHeartbeat();
    try {
      const running = new Map<StepKey, Promise<void>>();
      let unexpected: unknown = null;
      for (;;) {
        if (!this.controller.signal.aborted && unexpected === null) {
          for (const step of graph.ordered) {
            if (!ready(step)) continue;
            started.add(step.key);
            const task = runStep(step)
              .catch((error: unknown) => {
                // A store failure (not a step failure): stop starting steps, let the others settle, then rethrow.
                unexpected ??= error;
              })
              .finally(() => running.delete(step.key));
            running.set(step.key, task);
          }
        }
        if (running.size === 0) break;
        await Promise.race(running.values());
      }
      if (unexpected !== null) throw unexpected;
    } finally {
      stopHeartbeat();
    }
    if (this.stopReason === "lost") return "lost";
    return this.settle(status);
  }

  /** The run's final status from its steps; unfinished steps of a cancelled run become `cancelled`. */
  private async settle(status: Map<StepKey, StepStatus>): Promise<ExecutionOutcome> {
    const { db, graph } = this.deps;
    const order = graph.ordered.map((s) => s.key).filter((k) => status.has(k));
    const inStatus = (...wanted: StepStatus[]) => order.filter((k) => wanted.includes(status.get(k)!));

    let to: RunStatus;
    let error: string | null = null;
    if (this.stopReason === "cancel") {
      for (const key of await markSteps(db, this.runId, ["pending", "interrupted", "running"], "cancelled")) {
        this.rec.step(key, "cancelled");
      }
      to = "cancelled";
      error = "Cancelled before it finished";
    } else if (inStatus("failed").length > 0) {
      const failed = inStatus("failed");
      to = "failed";
      error = `${failed.length === 1 ? "Step" : "Steps"} ${failed.join(", ")} failed`;
    } else if (inStatus("pending", "interrupted", "cancelled", "running").length === 0) {
      to = "succeeded";
    } else {
      // Only part of the run was retried: the rest keeps the state it was left in.
      to = inStatus("interrupted").length > 0 ? "interrupted" : inStatus("cancelled").length > 0 ? "cancelled" : "failed";
      error = `Steps not run yet: ${inStatus("pending", "interrupted", "cancelled").join(", ")}`;
    }
    try {
      await this.rec.run(["running"], to, { error });
    } catch (e) {
      if (e instanceof TransitionConflictError) return "lost";
      throw e;
    }
    await this.rec.log(null, to === "succeeded" ? "info" : to === "failed" ? "error" : "warn", `Run ${to}${error ? `: ${error}` : ""}`);
    return to;
  }

  private startHeartbeat(): () => void {
    const { db, heartbeatMs, workerId } = this.deps;
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      heartbeat(db, this.runId, workerId)
        .then(({ owned, cancelRequested }) => {
          if (!owned) this.lose();
          else if (cancelRequested) this.cancel();
        })
        // A missed heartbeat is not fatal; a long outage makes the run look stale, which recovery handles.
        .catch(() => undefined)
        .finally(() => (busy = false));
    }, heartbeatMs);
    timer.unref?.();
    return () => clearInterval(timer);
  }
}
