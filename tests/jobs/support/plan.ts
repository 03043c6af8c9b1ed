// A reviewed plan for the runner's tests, made as "Refresh plan" makes one: one observation of the (fake) steps,
// the plan computed from it and saved with the facts' fingerprint. An apply run executes such a plan.
import { awsClients } from "@/lib/aws/clients";
import type { EnvironmentSettings } from "@/lib/config/environment";
import type { Db } from "@/lib/db-client";
import { savePlan, type SavedPlan } from "@/lib/environments/plans";
import type { JobService } from "@/lib/jobs";
import { observeSteps } from "@/lib/steps/observe";
import { buildPlan, factsFingerprint, planData } from "@/lib/steps/plan";
import type { RunSecrets, Step } from "@/lib/steps/types";
import { testSettings } from "@/tests/support/settings";

/** Observes `steps` and saves the plan for `environmentId`, as the admin's "Refresh plan" does. */
export async function reviewPlan(
  db: Db,
  environmentId: string,
  steps: readonly Step[],
  settings: EnvironmentSettings = testSettings(),
): Promise<SavedPlan> {
  const facts = await observeSteps(steps, settings, { aws: awsClients(settings.region) });
  return savePlan(db, {
    environmentId,
    actor: "ada",
    settings,
    facts,
    fingerprint: factsFingerprint(facts, steps),
    plan: planData(buildPlan(settings, facts, steps)),
  });
}

/** Reviews a fresh plan and starts its apply (the run executes in the background). */
export async function startApply(
  jobs: Pick<JobService, "startRun">,
  db: Db,
  environmentId: string,
  steps: readonly Step[],
  opts: { actor?: string; secrets?: RunSecrets } = {},
): Promise<{ runId: string; plan: SavedPlan }> {
  const plan = await reviewPlan(db, environmentId, steps);
  const { runId } = await jobs.startRun({ environmentId, kind: "apply", planId: plan.id, actor: opts.actor ?? "ada", secrets: opts.secrets });
  return { runId, plan };
}
