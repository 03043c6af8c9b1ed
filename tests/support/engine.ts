// The engine for tests, through the real parts: one observation (lib/steps/observe), a saved plan, and an
// apply or verify run of the real job service on a throw-away SQLite job store. Also a bare executor of one
// step's changes for tests of a single step.
import { awsClients } from "@/lib/aws/clients";
import type { EnvironmentSettings } from "@/lib/config/environment";
import type { Db } from "@/lib/db-client";
import { savePlan, type SavedPlan } from "@/lib/environments/plans";
import { createJobService, type JobService, type LogLine, type RunView } from "@/lib/jobs";
import { STEPS } from "@/lib/steps";
import { TEARDOWN_STEPS } from "@/lib/teardown";
import { reviewedKeys } from "@/lib/teardown/review";
import { observeSteps } from "@/lib/steps/observe";
import { buildPlan, factsFingerprint, planData, type Plan } from "@/lib/steps/plan";
import type { Change, ExecuteContext, Facts, LogLevel, RunSecrets, Step } from "@/lib/steps/types";
import { openTestDb, type TestDb } from "./test-db";

/** What every step observes (plan-time steps; the grants too with `secrets`). */
export function observe(
  settings: EnvironmentSettings,
  opts: { secrets?: RunSecrets; steps?: readonly Step[]; signal?: AbortSignal } = {},
): Promise<Facts> {
  return observeSteps(opts.steps ?? STEPS, settings, {
    aws: awsClients(settings.region),
    signal: opts.signal,
    secrets: opts.secrets,
    includeLive: Boolean(opts.secrets?.dbAdminPassword),
  });
}

export async function planOf(settings: EnvironmentSettings, steps: readonly Step[] = STEPS): Promise<{ facts: Facts; plan: Plan }> {
  const facts = await observe(settings, { steps });
  return { facts, plan: buildPlan(settings, facts, steps) };
}

export interface Engine {
  db: Db;
  /** The job store (its file, for a second service on the same store: a restarted server). */
  store: TestDb;
  jobs: JobService;
  environmentId: string;
  /** Observes, saves the plan (as "Refresh plan" does) and returns it. */
  refreshPlan(settings?: EnvironmentSettings): Promise<SavedPlan>;
  /** Applies `plan` (default: a fresh one) and waits for the run. */
  apply(opts?: { plan?: SavedPlan; secrets?: RunSecrets; confirmedAdoptions?: string[]; applyPendingNow?: string[] }): Promise<{
    view: RunView;
    logs: LogLine[];
  }>;
  verify(opts?: { secrets?: RunSecrets }): Promise<{ view: RunView; logs: LogLine[] }>;
  /** Observes what a teardown would remove (the plan the teardown page shows). */
  planTeardown(): Promise<Plan>;
  /** Starts a teardown of what `reviewed` lists (default: a fresh teardown plan's deletes). */
  startTeardown(opts?: { reviewed?: string[]; confirmDelete?: string[] }): Promise<{ runId: string }>;
  /** A teardown run, waited for. */
  teardown(opts?: { reviewed?: string[]; confirmDelete?: string[] }): Promise<{ view: RunView; logs: LogLine[] }>;
  close(): Promise<void>;
}

/** A job store, an environment with `settings` and the job service over `steps`. */
export async function engine(
  settings: EnvironmentSettings,
  opts: { steps?: readonly Step[]; store?: TestDb; accessStep?: Step } = {},
): Promise<Engine> {
  const store = opts.store ?? openTestDb();
  const steps = opts.steps ?? STEPS;
  const env = await store.db.environment.create({ data: { name: settings.name, settings: JSON.stringify(settings) } });
  const jobs = createJobService({ db: store.db, steps, heartbeatMs: 50, accessStep: opts.accessStep, teardownSteps: TEARDOWN_STEPS });
  const finish = async (runId: string) => {
    const view = (await jobs.waitForRun(runId))!;
    return { view, logs: await jobs.logsSince(runId, 0, 10_000) };
  };
  const refreshPlan = async (s = settings) => {
    const facts = await observe(s, { steps });
    return savePlan(store.db, {
      environmentId: env.id,
      actor: "ada",
      settings: s,
      facts,
      fingerprint: factsFingerprint(facts, steps),
      plan: planData(buildPlan(s, facts, steps)),
    });
  };
  return {
    db: store.db,
    store,
    jobs,
    environmentId: env.id,
    refreshPlan,
    async apply(o = {}) {
      const plan = o.plan ?? (await refreshPlan());
      const { runId } = await jobs.startRun({
        environmentId: env.id,
        kind: "apply",
        planId: plan.id,
        actor: "ada",
        secrets: o.secrets,
        confirmedAdoptions: o.confirmedAdoptions,
        applyPendingNow: o.applyPendingNow,
      });
      return finish(runId);
    },
    async verify(o = {}) {
      const { runId } = await jobs.startRun({ environmentId: env.id, kind: "verify", settings, actor: "ada", secrets: o.secrets });
      return finish(runId);
    },
    planTeardown: async () => (await planOf(settings, TEARDOWN_STEPS)).plan,
    startTeardown,
    async teardown(o = {}) {
      return finish((await startTeardown(o)).runId);
    },
    close: () => store.close(),
  };
  async function startTeardown(o: { reviewed?: string[]; confirmDelete?: string[] } = {}) {
    const reviewed = o.reviewed ?? reviewedKeys((await planOf(settings, TEARDOWN_STEPS)).plan.steps.flatMap((s) => s.changes));
    return jobs.startRun({ environmentId: env.id, kind: "teardown", settings, actor: "ada", reviewed, confirmDelete: o.confirmDelete });
  }
}

export interface RecordedExecution {
  logs: { level: LogLevel; message: string; requestId?: string }[];
  checkpoints: Record<string, unknown>[];
  results: Record<string, unknown>[];
  progress: number[];
}

/** Executes `changes` that are not unchanged, in order, as the runner would (no job store): for one step's tests. */
export async function executeChanges(
  settings: EnvironmentSettings,
  facts: Facts,
  changes: Change[],
  opts: { signal?: AbortSignal; secrets?: RunSecrets; previous?: Record<string, unknown> } = {},
): Promise<RecordedExecution> {
  const rec: RecordedExecution = { logs: [], checkpoints: [], results: [], progress: [] };
  const signal = opts.signal ?? new AbortController().signal;
  const ctx: ExecuteContext = {
    settings,
    facts,
    aws: awsClients(settings.region),
    cx: { signal, callerArn: (facts.identity as { arn?: string } | undefined)?.arn },
    signal,
    secrets: opts.secrets ?? {},
    previous: opts.previous,
    log: async (level, message, requestId) => void rec.logs.push({ level, message, ...(requestId ? { requestId } : {}) }),
    progress: async (fraction) => void rec.progress.push(fraction),
    checkpoint: async (data) => void rec.checkpoints.push({ ...data }),
  };
  for (const c of changes) {
    if (c.action === "unchanged") continue;
    if (!c.execute) throw new Error(`${c.id} has nothing to execute`);
    const r = await c.execute(ctx);
    rec.results.push(r.output ?? {});
    rec.logs.push({ level: "info", message: r.message ?? `${c.action}d ${c.resource}`, ...(r.requestId ? { requestId: r.requestId } : {}) });
  }
  return rec;
}

/** Observes the environment, then executes one step's changes (as the runner would): for one step's tests. */
export async function applyStep(
  step: Step,
  settings: EnvironmentSettings,
  opts: { signal?: AbortSignal; secrets?: RunSecrets; previous?: Record<string, unknown> } = {},
) {
  const facts = await observe(settings);
  const changes = step.changes(facts, settings);
  const blockers = step.blockers?.(facts, settings) ?? [];
  if (blockers.length) throw new Error(blockers.join("; "));
  return { facts, changes, ...(await executeChanges(settings, facts, changes, opts)) };
}

/** The actions of one step's changes, after a fresh observation. */
export async function actionsOf(step: Step, settings: EnvironmentSettings): Promise<[string, string][]> {
  const facts = await observe(settings);
  return step.changes(facts, settings).map((c) => [c.call, c.action]);
}
