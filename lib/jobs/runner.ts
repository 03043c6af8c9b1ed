// Executes one claimed run. First one observation of everything the steps read; an apply then holds it to the
// saved plan (the fingerprint on the first start, the reviewed changes on a resume) or refuses. Then the steps
// along the dependency graph, independent ones in parallel: each computes its changes from the facts and executes
// those that are not `unchanged`, logging the intent before each mutating call and checkpointing after it. Every
// transition is written to the store before it is acted on; a heartbeat while running; cancellation between
// actions. The caller has already moved the run to `running` under this worker.
import "server-only";
import { setMaxListeners } from "node:events";
import type { Db } from "../db-client";
import { awsClients } from "../aws/clients";
import { environmentSettingsSchema, type EnvironmentSettings } from "../config/environment";
import { getPlan } from "../environments/plans";
import { isMutation, sameChange } from "../steps/change";
import { identityFacts, STARTED_BY_RUN } from "../steps/facts";
import { ObserveError, observeSteps } from "../steps/observe";
import { adoptRefusal, unconfirmedAdoptions } from "../steps/adopt";
import { unreviewed } from "../teardown/review";
import { buildPlan, factsDifference, factsFingerprint, planData, type Plan, type PlanData } from "../steps/plan";
import type { Change, Check, ExecuteContext, Facts, RunChoices, RunSecrets, Step, StepKey } from "../steps/types";
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
  markPlanChecked,
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

export interface ExecuteOptions {
  /**
   * Steps to check rather than apply: they succeed only when every change is already `unchanged` (a DBA ran
   * grants.sql by hand; the console reads the grants back and runs no statement).
   */
  verifyOnly?: ReadonlySet<StepKey>;
}

/** How an execution ended: a final run status, or `lost` when another worker took the run over. */
export type ExecutionOutcome = RunStatus | "lost";

export interface Intent {
  id: string;
  call: string;
  resource: string;
  failed?: boolean;
}

/** What an apply step's row stores as it goes: the checkpoint a resumed attempt starts from. */
export interface StepProgress {
  /**
   * The changes whose mutating calls are under way (each logged before its call). Left behind by a process that
   * stopped mid-call, or (`failed`) by a call that returned an error. Absent when none is.
   */
  intents?: Intent[];
  /** Changes whose call AWS (or PostgreSQL) accepted, in order. */
  done: string[];
  /** What each done change handed back (ARNs, ids). */
  results: Record<string, unknown>;
  /** What a change stored mid-way (a long wait), for its next attempt. */
  partial: Record<string, Record<string, unknown>>;
  /** A verify step's checks. */
  checks?: Check[];
  /** An access run's report (the access matrix), stored as the step's output. */
  report?: Record<string, unknown>;
}

const RUNNABLE: ReadonlySet<string> = new Set(RUNNABLE_STEP_STATUSES);
const MAX_DIFFERENCES_LOGGED = 40;

/** A dependency that is not part of the run (skipped, or absent from its rows) counts as done. */
function satisfied(status: StepStatus | undefined): boolean {
  return status === undefined || status === "succeeded" || status === "skipped";
}

function progressOf(output: Record<string, unknown> | undefined): StepProgress {
  const o = (output ?? {}) as Partial<StepProgress>;
  return {
    intents: Array.isArray(o.intents) && o.intents.length ? o.intents : undefined,
    done: Array.isArray(o.done) ? o.done : [],
    results: o.results && typeof o.results === "object" ? o.results : {},
    partial: o.partial && typeof o.partial === "object" ? o.partial : {},
  };
}

/** The observation plus what this run's earlier attempts started (none on a first start): see startedByRun. */
function withStartedChanges(facts: Facts, own: ReadonlyMap<StepKey, Record<string, unknown> | undefined>): Facts {
  const started = [...own.values()].flatMap((output) => {
    const p = progressOf(output);
    return [...p.done, ...(p.intents ?? []).map((i) => i.id)];
  });
  return started.length ? { ...facts, [STARTED_BY_RUN]: started } : facts;
}

/** The plan a run refuses to go beyond, as a message (null when the observation matches what was reviewed). */
export class StalePlanError extends Error {
  constructor(
    message: string,
    readonly differences: string[],
  ) {
    super(message);
    this.name = "StalePlanError";
  }
}

/**
 * Adopting only on purpose: every `adopt` change the run would make needs the name the admin typed in the run
 * form (stored on the run). Checked before any step runs, so a refused apply touches nothing.
 */
function checkAdoptions(choices: RunChoices, plan: Plan, targets: ReadonlySet<StepKey>): void {
  const confirmed = choices.adopt ?? [];
  const missing = unconfirmedAdoptions(
    plan.steps.filter((s) => targets.has(s.key)).flatMap((s) => s.changes),
    confirmed,
  );
  if (missing.length) throw new StalePlanError(adoptRefusal(missing), []);
}

/**
 * A teardown deletes only what the admin reviewed: every delete a fresh observation plans must be among the
 * reviewed ones (same id, same document). Checked before any step runs, on the first start and on every resume
 * (the run's own deletes only take rows away). Deletes reviewed but gone since are simply not made.
 */
function checkTeardownReview(choices: RunChoices, plan: Plan, targets: ReadonlySet<StepKey>): void {
  const extra = unreviewed(
    plan.steps.filter((s) => targets.has(s.key)).flatMap((s) => s.changes),
    choices.teardown?.reviewed ?? [],
  );
  if (extra.length)
    throw new StalePlanError(
      `the account changed since the teardown plan was reviewed (${extra.length} delete${extra.length === 1 ? "" : "s"} not reviewed, listed in the log): plan the teardown again and review it`,
      extra,
    );
}

export class RunExecution {
  readonly controller = new AbortController();
  private stopReason: "cancel" | "lost" | null = null;
  /** The run form's choices stored with the run, handed to every change (read in execute()). */
  private choices: RunChoices = {};

  constructor(
    private readonly deps: RunnerDeps,
    private readonly rec: Recorder,
    readonly secrets: RunSecrets,
  ) {
    // Every AWS call of the run listens to this one signal; reads run side by side, a dozen at a time.
    setMaxListeners(100, this.controller.signal);
  }

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
  async execute(targets: ReadonlySet<StepKey>, options: ExecuteOptions = {}): Promise<ExecutionOutcome> {
    const { db, graph } = this.deps;
    const run = await getRunOrThrow(db, this.runId);
    const kind = run.kind as RunKind;
    // Validated when the run was created; parsed again where it leaves the database.
    const settings = environmentSettingsSchema.parse(JSON.parse(run.settings ?? "{}"));
    const choices = JSON.parse(run.choices ?? "{}") as RunChoices;
    this.choices = choices;
    const status = new Map<StepKey, StepStatus>();
    const attempts = new Map<StepKey, number>();
    const own = new Map<StepKey, Record<string, unknown> | undefined>();
    for (const row of run.steps) {
      status.set(row.key, row.status as StepStatus);
      attempts.set(row.key, row.attempt);
      own.set(row.key, parseOutput(row.output));
    }

    const stopHeartbeat = this.startHeartbeat();
    try {
      const signal = this.controller.signal;
      const aws = awsClients(settings.region);
      // 1. One observation of everything observed at plan time.
      await this.rec.log(null, "info", "Reading the account: every resource the steps look at, once");
      let facts: Facts;
      try {
        facts = withStartedChanges(await observeSteps(graph.ordered, settings, { aws, signal, secrets: this.secrets }), own);
      } catch (error) {
        if (this.stopReason === "lost") return "lost";
        if (this.stopReason) return this.settle(status);
        return this.failObservation(error, targets, status, attempts);
      }
      // 2. An apply is held to its saved plan; a teardown to the deletes the admin reviewed.
      if (kind === "apply" || kind === "teardown") {
        try {
          if (kind === "teardown") checkTeardownReview(choices, buildPlan(settings, facts, graph.ordered), targets);
          else {
            await this.checkAgainstPlan(run, settings, facts, targets);
            checkAdoptions(choices, buildPlan(settings, facts, graph.ordered), targets);
          }
        } catch (error) {
          if (!(error instanceof StalePlanError)) throw error;
          for (const line of error.differences.slice(0, MAX_DIFFERENCES_LOGGED)) await this.rec.log(null, "warn", `changed since the review: ${line}`);
          if (error.differences.length > MAX_DIFFERENCES_LOGGED)
            await this.rec.log(null, "warn", `… and ${error.differences.length - MAX_DIFFERENCES_LOGGED} more differences`);
          if (!(await this.end("failed", error.message))) return "lost";
          await this.rec.log(null, "error", `Refused: ${error.message}`);
          return "failed";
        }
      }
      // 3. The steps.
      await this.walk(targets, status, (step) => this.runStep(step, kind, settings, facts, status, attempts, own, options));
    } finally {
      stopHeartbeat();
    }
    if (this.stopReason === "lost") return "lost";
    return this.settle(status);
  }

  /**
   * First start: a fresh observation must have the reviewed fingerprint, and the same facts must give the same
   * changes. Resumed: the run's own earlier changes are expected, so every change still to make must be one the
   * admin reviewed (same id, same document); anything else is a change of the account since the review.
   */
  private async checkAgainstPlan(
    run: { planId: string | null; planCheckedAt: Date | null },
    settings: EnvironmentSettings,
    facts: Facts,
    targets: ReadonlySet<StepKey>,
  ) {
    const { db, graph } = this.deps;
    const plan = run.planId ? await getPlan(db, run.planId) : null;
    if (!plan) throw new StalePlanError("the saved plan this run executes is gone: refresh the plan and apply it again", []);
    // The steps observed when they run (the grants) are compared as the plan saw them; they guard themselves.
    const now = planData(buildPlan(settings, { ...plan.facts, ...facts }, graph.ordered));
    if (!run.planCheckedAt) {
      if (factsFingerprint(facts, graph.ordered) !== plan.fingerprint) {
        const differences = factsDifference(plan.facts, facts, graph.ordered);
        throw new StalePlanError(
          `the account changed since the plan was reviewed (${differences.length} difference${differences.length === 1 ? "" : "s"}, listed in the log): refresh the plan and review it again`,
          differences,
        );
      }
      const drift = planDifferences(plan.plan, now);
      if (drift.length)
        throw new StalePlanError("the console computes other changes from the same facts than the reviewed plan shows: refresh the plan and review it again", drift);
      await markPlanChecked(db, this.runId);
      await this.rec.log(null, "info", `The account matches the reviewed plan (fingerprint ${plan.fingerprint.slice(0, 12)})`);
      return;
    }
    const unreviewed = changeDifferences(plan.plan, now, (key) => targets.has(key));
    if (unreviewed.length)
      throw new StalePlanError("changes are needed that the reviewed plan does not contain: refresh the plan and review it again", unreviewed);
  }

  /** Observation failed: the step whose read failed fails (when it is part of the run), or the run does. */
  private async failObservation(error: unknown, targets: ReadonlySet<StepKey>, status: Map<StepKey, StepStatus>, attempts: Map<StepKey, number>) {
    const key = error instanceof ObserveError ? error.step : null;
    const message = this.rec.redact(errorMessage(error instanceof ObserveError ? error.cause : error));
    if (key && targets.has(key) && RUNNABLE.has(status.get(key) ?? "")) {
      try {
        const attempt = await claimStep(this.deps.db, this.runId, key, RUNNABLE_STEP_STATUSES, attempts.get(key) ?? 0);
        await finishStep(this.deps.db, this.runId, key, attempt, "failed", { error: message });
        status.set(key, "failed");
        this.rec.step(key, "failed", { attempt, error: message });
        await this.rec.log(key, "error", `${this.deps.graph.byKey.get(key)?.title ?? key}: failed while reading: ${message}`);
      } catch (e) {
        if (e instanceof TransitionConflictError) return "lost" as const;
        throw e;
      }
      return this.settle(status);
    }
    if (!(await this.end("failed", `Reading the account failed: ${message}`))) return "lost" as const;
    await this.rec.log(null, "error", `Reading the account failed: ${message}`);
    return "failed" as const;
  }

  /** Starts every ready step, waits for one to finish, repeats; stops starting steps on cancel or a store failure. */
  private async walk(targets: ReadonlySet<StepKey>, status: Map<StepKey, StepStatus>, run: (step: Step) => Promise<void>) {
    const started = new Set<StepKey>();
    const ready = (step: Step) =>
      targets.has(step.key) &&
      !started.has(step.key) &&
      RUNNABLE.has(status.get(step.key) ?? "") &&
      step.dependsOn.every((dep) => satisfied(status.get(dep)));
    const running = new Map<StepKey, Promise<void>>();
    let unexpected: unknown = null;
    for (;;) {
      if (!this.controller.signal.aborted && unexpected === null) {
        for (const step of this.deps.graph.ordered) {
          if (!ready(step)) continue;
          started.add(step.key);
          const task = run(step)
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
  }

  private async runStep(
    step: Step,
    kind: RunKind,
    settings: EnvironmentSettings,
    facts: Facts,
    status: Map<StepKey, StepStatus>,
    attempts: Map<StepKey, number>,
    own: Map<StepKey, Record<string, unknown> | undefined>,
    options: ExecuteOptions,
  ): Promise<void> {
    const { db } = this.deps;
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
    const previous = progressOf(own.get(key));
    const progress: StepProgress = { ...previous, intents: undefined, done: [...previous.done], partial: { ...previous.partial } };
    const store = async () => {
      const stored = redactDeep(progress, this.rec.redact);
      await checkpointStep(db, this.runId, key, attempt, JSON.stringify(stored));
      own.set(key, stored as unknown as Record<string, unknown>);
      this.rec.step(key, "running", { attempt });
    };
    const ctx = (changeId?: string): ExecuteContext => ({
      settings,
      facts,
      aws: awsClients(settings.region),
      cx: { signal, callerArn: identityFacts(facts)?.arn },
      signal,
      secrets: this.secrets,
      choices: this.choices,
      previous: changeId ? previous.partial[changeId] : undefined,
      startedBefore: !!changeId && (previous.intents ?? []).some((i) => i.id === changeId && !i.failed),
      // A worker that lost the run keeps quiet: the new owner's log is not its to write.
      log: async (level, message, requestId) => {
        if (this.stopReason !== "lost") await this.rec.log(key, level, message, requestId);
      },
      progress: async (fraction) => {
        await setStepProgress(db, this.runId, key, attempt, fraction);
        this.rec.step(key, "running", { attempt, progress: fraction });
      },
      checkpoint: async (data) => {
        if (changeId) progress.partial[changeId] = { ...progress.partial[changeId], ...data };
        await store();
        // The checkpoint is the line between two actions: after a cancel, the step stops here.
        if (signal.aborted) throw new RunCancelledError(this.runId);
      },
    });

    let failure: unknown = null;
    try {
      signal.throwIfAborted();
      if (step.observeWhen === "execute") {
        facts[key] = await step.observe({
          settings,
          facts,
          aws: awsClients(settings.region),
          cx: { signal, callerArn: identityFacts(facts)?.arn },
          read: (_k, load) => load(),
          secrets: this.secrets,
        });
      }
      for (const line of step.describe?.(facts[key], settings) ?? []) await this.rec.log(key, "info", line);
      const blockers = step.blockers?.(facts, settings) ?? [];
      if (blockers.length) throw new Error(blockers.join("; "));
      const changes = step.changes(facts, settings);
      if (kind === "access") {
        if (!step.prove) throw new Error(`${step.title} proves nothing: it has no access check`);
        const proof = await step.prove(facts, settings);
        progress.checks = proof.checks;
        progress.report = proof.report;
        const bad = proof.checks.filter((c) => !c.ok);
        if (bad.length) failure = new Error(bad.map((c) => `${c.name}: ${c.detail}`).join("; "));
      } else if (kind === "verify") {
        const checks = [...(step.verifyChecks?.(facts, settings) ?? changes.map(changeCheck)), ...((await step.verifyMore?.(ctx())) ?? [])];
        progress.checks = checks;
        const bad = checks.filter((c) => !c.ok);
        if (bad.length) failure = new Error(`${bad.length} of ${checks.length} checks failed: ${bad.map((c) => `${c.name} (${c.detail})`).join("; ")}`);
      } else if (options.verifyOnly?.has(key)) {
        const left = changes.filter((c) => isMutation(c) || c.action === "deferred");
        if (left.length) throw new Error(`still to do: ${left.map((c) => `${c.resource} (${c.action})`).join("; ")}`);
        await this.rec.log(key, "info", `${step.title}: verified by read-back, nothing left to do (no statement was run)`);
      } else {
        await this.applyChanges(step, changes, previous, progress, ctx, store);
      }
    } catch (error) {
      failure = error;
    }
    if (this.stopReason === "lost") return;

    const to = failure === null ? "succeeded" : this.stopReason === "cancel" ? "cancelled" : "failed";
    const message = failure === null ? null : this.rec.redact(errorMessage(failure));
    // A call that returned an error keeps its intent, marked: the next attempt must not credit it as accepted.
    const intents = failure === null || !progress.intents ? undefined : progress.intents.map((i) => ({ ...i, failed: true }));
    const stored = redactDeep({ ...progress, intents }, this.rec.redact);
    try {
      await finishStep(db, this.runId, key, attempt, to, { error: message, output: JSON.stringify(stored) });
    } catch (error) {
      if (error instanceof TransitionConflictError) return this.lose();
      throw error;
    }
    status.set(key, to);
    own.set(key, stored as unknown as Record<string, unknown>);
    this.rec.step(key, to, { attempt, error: message, ...(to === "succeeded" ? { progress: 1 } : {}) });
    if (to === "succeeded") await this.rec.log(key, "info", `${step.title}: succeeded`);
    else if (to === "cancelled") await this.rec.log(key, "warn", `${step.title}: cancelled (${message})`);
    else await this.rec.log(key, "error", `${step.title}: failed: ${message}`);
  }

  /**
   * Executes the changes that are not `unchanged`, the intent logged before each and a checkpoint after. A change
   * waits for the ones it names in `after` (by default the one before it); independent ones run side by side.
   */
  private async applyChanges(
    step: Step,
    changes: Change[],
    previous: StepProgress,
    progress: StepProgress,
    ctx: (changeId?: string) => ExecuteContext,
    store: () => Promise<void>,
  ) {
    const key = step.key;
    // A delete of something that holds data (a bucket with objects) runs only when the admin typed its name.
    const confirmed = this.choices.teardown?.confirmDelete ?? [];
    const unconfirmed = changes.filter((c) => c.action === "delete" && c.confirmName && !confirmed.includes(c.confirmName));
    for (const c of unconfirmed) await this.rec.log(key, "info", `kept ${c.resource}: its name (${c.confirmName}) was not typed in the teardown form`);
    const todo = changes.filter((c) => (isMutation(c) || c.action === "deferred") && !unconfirmed.includes(c));
    // The interrupted attempt started calls whose changes are no longer needed: AWS accepted them before the stop.
    for (const last of previous.intents ?? []) {
      if (previous.done.includes(last.id) || todo.some((c) => c.id === last.id)) continue;
      progress.done.push(last.id);
      await this.rec.log(
        key,
        "info",
        last.failed
          ? `${last.call} ${last.resource}: in place now, although the earlier attempt's call failed (AWS accepted it before answering, or someone made it since); not repeated`
          : `${last.call} ${last.resource}: made by the interrupted attempt (accepted before the process stopped); not repeated`,
      );
    }
    if (todo.length === 0) {
      if (!unconfirmed.length)
        await this.rec.log(key, "info", changes.length ? `${step.title}: every change is already in place (unchanged)` : `${step.title}: nothing to change`);
      return;
    }
    const begin = async (intent: Intent, message: string) => {
      progress.intents = [...(progress.intents ?? []), intent];
      await store();
      await this.rec.log(key, "info", message);
    };
    const finish = async (id: string, output?: Record<string, unknown>) => {
      progress.done.push(id);
      if (output) progress.results[id] = output;
      progress.intents = progress.intents?.filter((i) => i.id !== id);
      if (!progress.intents?.length) progress.intents = undefined;
      await store();
    };
    if (step.executeAll) {
      const id = `${key}:all`;
      await begin({ id, call: todo[0].call, resource: `${todo.length} changes of ${step.title}` }, `→ ${todo.length} change${todo.length === 1 ? "" : "s"} of ${step.title}, together`);
      const result = await step.executeAll(todo, ctx());
      if (this.stopReason !== "lost") await this.rec.log(key, "info", result.message ?? `${step.title}: done`, result.requestId);
      progress.done.push(...todo.map((c) => c.id));
      await finish(id, result.output ?? {});
      return;
    }
    for (const c of todo)
      if (!c.execute) throw new Error(`${c.call} on ${c.resource} cannot run: ${c.warnings?.join("; ") || "what it needs is unknown"}`);
    // What each change waits for: its `after`, else the change before it in the step's list; an unchanged one is done.
    const waitsFor = new Map(changes.map((c, i) => [c.id, c.after ?? (i > 0 ? [changes[i - 1].id] : [])]));
    const pending = new Set(todo.map((c) => c.id));
    const started = new Set<string>();
    const running = new Map<string, Promise<void>>();
    let failure: unknown = null;
    const run = async (c: Change) => {
      // The intent first: after a crash the log says what was under way, and the resume can tell whether AWS took it.
      await begin({ id: c.id, call: c.call, resource: c.resource }, `→ ${c.call} ${c.resource} (${c.action})`);
      const result = await c.execute!(ctx(c.id));
      // The result's line before the checkpoint: a process stopped between the two leaves the intent, so the resume
      // still says the call was made; the other way round, a call AWS accepted could end up with no line at all.
      // (Quiet, like ctx.log, once the run is lost: the new owner's log is not this worker's to write.)
      if (this.stopReason !== "lost") await this.rec.log(key, "info", result.message ?? `${c.action}d ${c.resource}`, result.requestId);
      await finish(c.id, result.output);
      pending.delete(c.id);
    };
    for (;;) {
      if (failure === null && !this.controller.signal.aborted)
        for (const c of todo) {
          if (started.has(c.id) || (waitsFor.get(c.id) ?? []).some((d) => pending.has(d))) continue;
          started.add(c.id);
          running.set(
            c.id,
            run(c)
              .catch((e: unknown) => void (failure ??= e))
              .finally(() => running.delete(c.id)),
          );
        }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
    if (failure !== null) throw failure;
    // The checkpoint after each call is the line a cancel stops at.
    if (this.controller.signal.aborted) throw new RunCancelledError(this.runId);
    if (pending.size) throw new Error(`changes not made: ${[...pending].join(", ")}`);
  }

  /** The run's final status from its steps; unfinished steps of a cancelled run become `cancelled`. */
  /** Steps as people read them on the run page: by title, not by key. */
  private titled(keys: readonly StepKey[]): string {
    return keys.map((k) => `“${this.deps.graph.byKey.get(k)?.title ?? k}”`).join(", ");
  }

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
      error = `${failed.length === 1 ? "Step" : "Steps"} ${this.titled(failed)} failed`;
    } else if (inStatus("pending", "interrupted", "cancelled", "running").length === 0) {
      to = "succeeded";
    } else {
      // Only part of the run was retried: the rest keeps the state it was left in.
      to = inStatus("interrupted").length > 0 ? "interrupted" : inStatus("cancelled").length > 0 ? "cancelled" : "failed";
      error = `Steps not run yet: ${this.titled(inStatus("pending", "interrupted", "cancelled"))}`;
    }
    if (!(await this.end(to, error))) return "lost";
    await this.rec.log(null, to === "succeeded" ? "info" : to === "failed" ? "error" : "warn", `Run ${to}${error ? `: ${error}` : ""}`);
    return to;
  }

  /** Ends the run, fenced on this worker still owning it; false when it no longer does (nothing was written). */
  private async end(to: RunStatus, error: string | null): Promise<boolean> {
    try {
      await this.rec.run(["running"], to, { error, ownedBy: this.deps.workerId });
      return true;
    } catch (e) {
      if (e instanceof TransitionConflictError) return false;
      throw e;
    }
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

/** A verify run's check of one change: it must be `unchanged` now. */
function changeCheck(c: Change): Check {
  return {
    name: `${c.resource} (${c.call})`,
    ok: c.action === "unchanged",
    detail: c.action === "unchanged" ? "matches the plan" : `would still ${c.action}: ${c.reason ?? "differs from the plan"}`,
  };
}

/** Every change that is not the same (id, action, document) in both plans, as lines for the log. */
function planDifferences(reviewed: PlanData, now: PlanData): string[] {
  const flat = (p: PlanData) => p.steps.flatMap((s) => s.changes);
  const a = flat(reviewed);
  const b = flat(now);
  const same = (x: (typeof a)[number], y: (typeof a)[number]) => sameChange(x, y) && x.action === y.action;
  return [
    ...a.filter((x) => !b.some((y) => same(x, y))).map((x) => `${x.call} ${x.resource}: reviewed as ${x.action}, now different`),
    ...b.filter((y) => !a.some((x) => same(x, y))).map((y) => `${y.call} ${y.resource}: ${y.action}, not in the reviewed plan`),
  ];
}

/**
 * Changes of `now` (in the steps `include` accepts) that the reviewed plan does not contain with the same id and
 * document, and, for a first start, reviewed changes that are gone; as lines for the log.
 */
function changeDifferences(reviewed: PlanData, now: PlanData, include: (key: StepKey) => boolean): string[] {
  const before = reviewed.steps.flatMap((s) => s.changes);
  const out: string[] = [];
  for (const step of now.steps) {
    if (!include(step.key)) continue;
    for (const c of step.changes) {
      if (!isMutation(c) && c.action !== "deferred") continue;
      const twin = before.find((b) => sameChange(b, c));
      if (!twin || (!isMutation(twin) && twin.action !== "deferred")) out.push(`${c.call} ${c.resource}: ${c.action}, not in the reviewed plan`);
    }
  }
  return out;
}
