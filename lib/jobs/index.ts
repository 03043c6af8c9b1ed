// The job service: starts, resumes, retries and cancels runs of an environment's steps, recovers runs a dead
// process left behind, and serves their progress. Steps are injected (tests use small fakes); secrets live
// in this object's memory only, for as long as the run that uses them executes.
//
// Semantics in brief:
// - An apply executes a saved plan: its settings, and only if a fresh observation matches what was reviewed
//   (lib/jobs/runner.ts). A verify observes with the settings it is given and expects every change unchanged.
// - A failed step leaves its dependants `pending` (not started); independent branches still run; the run
//   becomes `failed` once nothing is running. `retryStep` re-runs that step, then its pending dependants.
// - A step the environment does not use (appliesTo) is `skipped` from the start.
// - Resume and retry use the settings snapshot taken when the run started, not the environment's current ones.
import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "../db-client";
import { environmentSettingsSchema, type EnvironmentSettings } from "../config/environment";
import { getPlan } from "../environments/plans";
import { logger } from "../log";
import type { RunSecrets, Step, StepKey } from "../steps/types";
import { EnvironmentNotFoundError, JobRequestError, RunCancelledError, TransitionConflictError } from "./errors";
import { createRunEvents, type LogLine, type RunListener } from "./events";
import { buildStepGraph } from "./graph";
import { createRecorder, errorMessage, type Recorder } from "./recorder";
import { RunExecution, type ExecuteOptions } from "./runner";
import { createRedactor, wipeSecrets } from "./secrets";
import { ACTIVE_RUN_STATUSES, RESUMABLE_RUN_STATUSES, RUNNABLE_STEP_STATUSES, type RunStatus, type StepStatus } from "./status";
import { createRun, getRunOrThrow, markSteps, recoverStaleRuns, requestCancel } from "./store";
import { logsSince, runView, type RunView } from "./view";
import { executeTask, isTaskKind, type Task } from "./tasks";
import { auditTeardownEnd } from "./teardown-audit";

export * from "./errors";
export type { LogLine, RunEvent, RunListener } from "./events";
export type { RunView, StepView } from "./view";
export type { RunKind, RunStatus, StepStatus } from "./status";
export { REDACTED } from "./secrets";

export interface JobServiceOptions {
  db: Db;
  steps: readonly Step[];
  /** How often a running run's heartbeat is written (default 5 s). */
  heartbeatMs?: number;
  /** How old a heartbeat must be for recoverInterrupted to call a run dead (default 30 s). */
  staleAfterMs?: number;
  /** Run recoverInterrupted once at creation; every method waits for it (the server's singleton does this). */
  recoverOnStart?: boolean;
  /**
   * The step an `access` run executes (lib/steps/access-check.ts): it proves from one observation of every step
   * who may do what. With it, every apply that succeeds is followed by an access run.
   */
  accessStep?: Step;
  /** The steps a `teardown` run executes (lib/teardown): a graph of its own, walked like an apply's. */
  teardownSteps?: readonly Step[];
}

export type StartRunInput = {
  environmentId: string;
  actor: string;
  secrets?: RunSecrets;
  /** Names the admin typed in the run form to adopt roles or buckets the console did not create (lib/steps/adopt.ts). */
  confirmedAdoptions?: string[];
  /** RDS pending modifications the admin acknowledged, to be applied now with IAM authentication. */
  applyPendingNow?: string[];
} & (
  | /** Executes the saved plan the admin reviewed (with its settings). */ { kind: "apply"; planId: string }
  | /** Reads everything back with these (already validated) settings. */ { kind: "verify"; settings: EnvironmentSettings }
  | /** Reads everything and proves who may do what (read-only). */ { kind: "access"; settings: EnvironmentSettings }
  | /**
     * Deletes what the console created for the environment: only the deletes the admin reviewed (`reviewed`,
     * lib/teardown/review.ts); what holds data only when its name was typed (`confirmDelete`).
     */ { kind: "teardown"; settings: EnvironmentSettings; reviewed: string[]; confirmDelete?: string[] }
);

export interface StartTaskInput {
  environmentId: string;
  actor: string;
  /** The environment's validated settings, stored with the run. */
  settings: EnvironmentSettings;
  task: Task;
}

export interface RetryOptions {
  /** Check the step instead of applying it (a DBA ran grants.sql by hand). */
  verifyOnly?: boolean;
}

export interface JobService {
  startRun(input: StartRunInput): Promise<{ runId: string }>;
  /** A run that is one task (cluster check, model copy, model upload): see ./tasks. */
  startTask(input: StartTaskInput): Promise<{ runId: string }>;
  resumeRun(runId: string, actor: string, secrets?: RunSecrets): Promise<{ runId: string }>;
  retryStep(runId: string, key: StepKey, actor: string, secrets?: RunSecrets, options?: RetryOptions): Promise<{ runId: string }>;
  cancelRun(runId: string, actor: string): Promise<{ status: RunStatus }>;
  recoverInterrupted(staleAfterMs?: number): Promise<string[]>;
  /** Resolves once start-up recovery has finished (rejects when it failed); at once without `recoverOnStart`. */
  ready(): Promise<void>;
  /** For the health route: ready only after start-up recovery (and again after a failed one succeeds later). */
  readiness(): { ready: true } | { ready: false; reason: string };
  runView(runId: string): Promise<RunView | null>;
  logsSince(runId: string, afterId?: number, limit?: number): Promise<LogLine[]>;
  subscribe(runId: string, listener: RunListener): () => void;
  waitForRun(runId: string): Promise<RunView | null>;
}

const CANCELLABLE: readonly RunStatus[] = ["queued", "interrupted"];
/** Runs of the step catalogue (the others are tasks: ./tasks.ts). */
const STEP_RUN_KINDS: readonly string[] = ["apply", "verify", "access", "teardown"];

/** A step the environment does not use is skipped from the start. */
const applies = (step: Step, settings: EnvironmentSettings) => step.appliesTo?.(settings) ?? true;

const INTERRUPTED_MESSAGE = "Interrupted: the process running it stopped; resume to continue (finished steps are kept)";

export function createJobService(options: JobServiceOptions): JobService {
  const { db } = options;
  const graph = buildStepGraph(options.steps);
  // An access run observes like the others, then runs only the access step.
  const accessStep = options.accessStep;
  const accessGraph = accessStep ? buildStepGraph([...options.steps, accessStep]) : null;
  const teardownGraph = options.teardownSteps ? buildStepGraph(options.teardownSteps) : null;
  const graphFor = (kind: string) => (kind === "access" && accessGraph ? accessGraph : kind === "teardown" && teardownGraph ? teardownGraph : graph);
  // Step titles for every kind of run (the catalogues share identity and discover).
  const titles = { byKey: new Map([...(accessGraph ?? graph).byKey, ...(teardownGraph?.byKey ?? [])]) };
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const defaultStaleAfterMs = options.staleAfterMs ?? 30_000;
  const workerId = randomUUID();
  const events = createRunEvents();
  const executions = new Map<string, { execution: { cancel(): void }; done: Promise<void> }>();

  const recorderFor = (runId: string, secrets: RunSecrets = {}) =>
    createRecorder(db, events, runId, createRedactor(secrets));

  /**
   * Registers and starts an execution in the background. `claim` moves the run to `running` first (for a new
   * run; resume and retry claim before calling this so their caller sees a refusal).
   */
  function launch(
    rec: Recorder,
    secrets: RunSecrets,
    targets: Set<StepKey>,
    claim?: () => Promise<void>,
    options: ExecuteOptions = {},
    kind: string = "apply",
  ): void {
    const execution = new RunExecution({ db, graph: graphFor(kind), heartbeatMs, workerId }, rec, secrets);
    const done = (async () => {
      let outcome: string | null = null;
      try {
        if (claim) await claim();
        outcome = await execution.execute(targets, options);
      } catch (error) {
        await failUnexpectedly(rec, error);
      } finally {
        // Secrets leave with the run, whatever its outcome.
        wipeSecrets(secrets);
        executions.delete(rec.runId);
      }
      // After the run has left the executions: a cancel of the finished apply is not sent to it.
      if (outcome === "succeeded" && kind === "apply") await checkAccessAfterApply(rec);
      // What a teardown removed, in the audit log, however it ended (a resumed run adds its own line).
      if (kind === "teardown" && outcome && outcome !== "lost") await auditTeardownEnd(db, rec.runId, outcome);
    })();
    executions.set(rec.runId, { execution, done });
  }

  /**
   * A successful apply is followed by an access run with the apply's settings, so the environment's history shows
   * that the change proved its access. Refused only when another run became active meanwhile: said in the log.
   */
  async function checkAccessAfterApply(rec: Recorder): Promise<void> {
    if (!accessStep) return;
    try {
      const run = await getRunOrThrow(db, rec.runId);
      const settings = environmentSettingsSchema.parse(JSON.parse(run.settings ?? "{}"));
      const { runId } = await startRun({ environmentId: run.environmentId, kind: "access", settings, actor: run.actor });
      await rec.log(null, "info", `Access check started after the apply: run ${runId}`);
      // Awaited, so waiting for the apply also waits for its proof.
      await executions.get(runId)?.done;
    } catch (error) {
      await rec.log(null, "warn", `The access check after the apply did not start: ${rec.redact(errorMessage(error))}`).catch(() => undefined);
    }
  }

  /** The store (not a step) failed mid-run: record it if we still can, never leave an unhandled rejection. */
  async function failUnexpectedly(rec: Recorder, error: unknown) {
    const message = rec.redact(errorMessage(error));
    try {
      await markSteps(db, rec.runId, ["running"], "interrupted");
      await rec.run(["queued", "running"], "failed", { error: `Runner error: ${message}` });
      await rec.log(null, "error", `Runner error: ${message}`);
    } catch (secondary) {
      if (secondary instanceof TransitionConflictError) return;
      logger.error("job runner failed", { runId: rec.runId, error: message });
    }
  }

  async function startRun(input: StartRunInput): Promise<{ runId: string }> {
    if (!STEP_RUN_KINDS.includes(input.kind)) {
      throw new JobRequestError(`kind must be one of ${STEP_RUN_KINDS.join(", ")}, got "${String(input.kind)}"`);
    }
    const environment = await db.environment.findUnique({ where: { id: input.environmentId }, select: { id: true } });
    if (!environment) throw new EnvironmentNotFoundError(input.environmentId);
    let settings: EnvironmentSettings;
    let planId: string | null = null;
    if (input.kind === "apply") {
      const plan = await getPlan(db, input.planId);
      if (!plan || plan.environmentId !== environment.id) throw new JobRequestError(`plan ${input.planId} is not a plan of this environment`);
      settings = plan.settings;
      planId = plan.id;
    } else {
      settings = input.settings;
    }
    if (input.kind === "access" && !accessStep) throw new JobRequestError("this job service has no access check");
    if (input.kind === "teardown" && !teardownGraph) throw new JobRequestError("this job service has no teardown");
    const runGraph = graphFor(input.kind);
    // An access run holds the access step only; the other steps are observed, not run.
    const rows = input.kind === "access" ? [accessStep!] : runGraph.ordered;

    const secrets: RunSecrets = { ...input.secrets };
    const redact = createRedactor(secrets);
    const run = await createRun(db, {
      environmentId: environment.id,
      kind: input.kind,
      actor: input.actor,
      planId,
      settings: JSON.stringify(settings),
      choices: {
        ...(input.confirmedAdoptions?.length ? { adopt: input.confirmedAdoptions } : {}),
        ...(input.applyPendingNow?.length ? { applyPendingNow: input.applyPendingNow } : {}),
        ...(input.kind === "teardown" ? { teardown: { reviewed: input.reviewed, confirmDelete: input.confirmDelete ?? [] } } : {}),
      },
      steps: rows.map((step, position) => ({
        key: step.key,
        position,
        status: applies(step, settings) ? "pending" : "skipped",
      })),
    });
    const rec = createRecorder(db, events, run.id, redact);
    const targets = new Set(rows.filter((s) => applies(s, settings)).map((s) => s.key));
    const started = { apply: "Apply", verify: "Verify", access: "Access check", teardown: "Teardown" }[input.kind];
    launch(
      rec,
      secrets,
      targets,
      async () => {
        await rec.run(["queued"], "running", { workerId });
        await rec.log(null, "info", `${started} started by ${input.actor}`);
      },
      {},
      input.kind,
    );
    return { runId: run.id };
  }

  async function startTask(input: StartTaskInput): Promise<{ runId: string }> {
    const environment = await db.environment.findUnique({ where: { id: input.environmentId }, select: { id: true } });
    if (!environment) throw new EnvironmentNotFoundError(input.environmentId);
    const run = await createRun(db, {
      environmentId: environment.id,
      kind: input.task.kind,
      actor: input.actor,
      planId: null,
      settings: JSON.stringify(input.settings),
      steps: [{ key: input.task.kind, position: 0, status: "pending" }],
    });
    const rec = createRecorder(db, events, run.id, createRedactor({}));
    const controller = new AbortController();
    const done = (async () => {
      try {
        await rec.run(["queued"], "running", { workerId });
        await rec.log(null, "info", `${input.task.kind} started by ${input.actor}`);
        await executeTask({ db, heartbeatMs, workerId }, rec, input.task, input.settings, controller);
      } catch (error) {
        await failUnexpectedly(rec, error);
      } finally {
        executions.delete(run.id);
      }
    })();
    executions.set(run.id, { execution: { cancel: () => controller.abort(new RunCancelledError(run.id)) }, done });
    return { runId: run.id };
  }

  /** Task runs start again from the start (they skip what is done); the step catalogue's resume does not apply. */
  function refuseTask(run: { id: string; kind: string }) {
    if (isTaskKind(run.kind))
      throw new JobRequestError(`Run ${run.id} is a ${run.kind} run: start a new one instead (it skips what is already done)`);
  }

  /**
   * A run that is not active has no step executing: a step still `running` was left by a crash (for example
   * between two updates of an older recovery). Once the caller owns the run, such steps become `interrupted`
   * so they run again.
   */
  async function settleOrphanSteps(rec: Recorder): Promise<void> {
    for (const key of await markSteps(db, rec.runId, ["running"], "interrupted")) rec.step(key, "interrupted");
  }

  async function resumeRun(runId: string, actor: string, secrets: RunSecrets = {}): Promise<{ runId: string }> {
    refuseTask(await getRunOrThrow(db, runId));
    const own: RunSecrets = { ...secrets };
    const rec = recorderFor(runId, own);
    await rec.run(RESUMABLE_RUN_STATUSES, "running", { workerId });
    await settleOrphanSteps(rec);
    const run = await getRunOrThrow(db, runId);
    const targets = new Set(
      run.steps.filter((s) => (RUNNABLE_STEP_STATUSES as readonly string[]).includes(s.status)).map((s) => s.key as StepKey),
    );
    await rec.log(null, "info", `Resumed by ${actor}: ${targets.size} step(s) to run, succeeded steps are kept`);
    launch(rec, own, targets, undefined, {}, run.kind);
    return { runId };
  }

  async function retryStep(
    runId: string,
    key: StepKey,
    actor: string,
    secrets: RunSecrets = {},
    options: RetryOptions = {},
  ): Promise<{ runId: string }> {
    const run = await getRunOrThrow(db, runId);
    refuseTask(run);
    // In a run that is not active, a `running` step is a crash's leftover: it counts as interrupted.
    const stopped = !(ACTIVE_RUN_STATUSES as readonly string[]).includes(run.status);
    const statusOf = new Map(
      run.steps.map((s) => [s.key as StepKey, (stopped && s.status === "running" ? "interrupted" : s.status) as StepStatus]),
    );
    const current = statusOf.get(key);
    const runGraph = graphFor(run.kind);
    if (!current || !runGraph.byKey.has(key)) throw new JobRequestError(`Run ${runId} has no step "${key}"`);
    if (!["failed", "interrupted", "cancelled"].includes(current)) {
      throw new JobRequestError(`Step ${key} is ${current}: only a failed, interrupted or cancelled step can be retried`);
    }
    for (const dep of runGraph.byKey.get(key)!.dependsOn) {
      const depStatus = statusOf.get(dep);
      if (depStatus && depStatus !== "succeeded" && depStatus !== "skipped") {
        throw new JobRequestError(`Step ${key} depends on ${dep}, which is ${depStatus}: resume the run instead`);
      }
    }
    if (!(RESUMABLE_RUN_STATUSES as readonly string[]).includes(run.status)) {
      throw new JobRequestError(`Run ${runId} is ${run.status}: only an interrupted, failed or cancelled run can be retried`);
    }
    // The step, then its dependants that had not run (a dependant already done is not repeated).
    const targets = new Set<StepKey>([key]);
    for (const dependant of runGraph.dependantsOf(key)) {
      const s = statusOf.get(dependant);
      if (s && (RUNNABLE_STEP_STATUSES as readonly string[]).includes(s)) targets.add(dependant);
    }
    const own: RunSecrets = { ...secrets };
    const rec = recorderFor(runId, own);
    await rec.run(RESUMABLE_RUN_STATUSES, "running", { workerId });
    await settleOrphanSteps(rec);
    const title = runGraph.byKey.get(key)!.title;
    await rec.log(key, "info", options.verifyOnly ? `${title}: read back (run by hand) requested by ${actor}` : `Retry of ${title} requested by ${actor}`);
    launch(rec, own, targets, undefined, { verifyOnly: options.verifyOnly ? new Set([key]) : undefined }, run.kind);
    return { runId };
  }

  async function cancelRun(runId: string, actor: string): Promise<{ status: RunStatus }> {
    const rec = recorderFor(runId);
    const live = executions.get(runId);
    if (live) {
      await requestCancel(db, runId);
      await rec.log(null, "warn", `Cancel requested by ${actor}`);
      live.execution.cancel();
      return { status: "running" };
    }
    const run = await getRunOrThrow(db, runId);
    if (run.status === "running") {
      // Executing in another process: it sees the flag at its next heartbeat.
      await requestCancel(db, runId);
      await rec.log(null, "warn", `Cancel requested by ${actor}`);
      return { status: "running" };
    }
    if (!CANCELLABLE.includes(run.status as RunStatus)) {
      throw new JobRequestError(`Run ${runId} is ${run.status}: only a queued, running or interrupted run can be cancelled`);
    }
    await rec.run([run.status as RunStatus], "cancelled", { error: `Cancelled by ${actor}` });
    for (const key of await markSteps(db, runId, ["pending", "interrupted", "running"], "cancelled")) rec.step(key, "cancelled");
    await rec.log(null, "warn", `Cancelled by ${actor}`);
    return { status: "cancelled" };
  }

  let recovery: { ready: true } | { ready: false; reason: string } = options.recoverOnStart
    ? { ready: false, reason: "recovering runs a stopped process left behind" }
    : { ready: true };

  async function recoverInterrupted(staleAfterMs = defaultStaleAfterMs): Promise<string[]> {
    const cutoff = new Date(Date.now() - staleAfterMs);
    // One transaction (see recoverStaleRuns); runs executing in this service are alive, whatever their heartbeat.
    let recovered;
    try {
      recovered = recoverStaleRuns(db, cutoff, [...executions.keys()], INTERRUPTED_MESSAGE);
    } catch (error) {
      if (!recovery.ready) recovery = { ready: false, reason: `recovery of stopped runs failed: ${errorMessage(error)}` };
      throw error;
    }
    for (const { runId, steps } of recovered) {
      const rec = recorderFor(runId);
      for (const key of steps) rec.step(key, "interrupted");
      events.emit({ type: "run", runId, status: "interrupted", error: null });
    }
    recovery = { ready: true };
    return recovered.map((r) => r.runId);
  }

  const service: JobService = {
    startRun,
    startTask,
    resumeRun,
    retryStep,
    cancelRun,
    recoverInterrupted,
    ready: async () => undefined,
    readiness: () => recovery,
    runView: (runId) => runView(db, runId, titles.byKey),
    logsSince: (runId, afterId, limit) => logsSince(db, runId, afterId, limit),
    subscribe: (runId, listener) => events.subscribe(runId, listener),
    async waitForRun(runId) {
      await executions.get(runId)?.done;
      return runView(db, runId, titles.byKey);
    },
  };

  if (!options.recoverOnStart) return service;
  // Every method waits for start-up recovery, so a new run never races the clean-up of a dead one.
  const attempt = recoverInterrupted().then(() => undefined);
  const recovered = attempt.catch((error: unknown) => {
    logger.error("run recovery failed", { error: errorMessage(error) });
  });
  const after =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await recovered;
      return fn(...args);
    };
  return {
    ...service,
    ready: () => attempt,
    startRun: after(service.startRun),
    startTask: after(service.startTask),
    resumeRun: after(service.resumeRun),
    retryStep: after(service.retryStep),
    cancelRun: after(service.cancelRun),
    runView: after(service.runView),
    logsSince: after(service.logsSince),
    waitForRun: after(service.waitForRun),
  };
}
