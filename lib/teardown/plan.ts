import "server-only";
// A teardown plan: one read-only observation of what the teardown steps look at, and the rows they make of it.
// Not saved: the run re-observes and holds itself to the deletes the admin reviewed (./review.ts).
import { awsClients } from "../aws/clients";
import type { EnvironmentSettings } from "../config/environment";
import { renderCliScript } from "../steps/cli-script";
import { identityFacts } from "../steps/facts";
import { observeSteps } from "../steps/observe";
import { buildPlan, planChanges, planData, type PlanData } from "../steps/plan";
import { TEARDOWN_STEPS } from "./index";
import { reviewedKeys } from "./review";

export interface TeardownPlan {
  plan: PlanData;
  /** The deletes, as the teardown form carries them back (./review.ts). */
  reviewed: string[];
  /** The names a delete of something holding data waits for (the bucket with its models). */
  confirmNames: string[];
  deletes: number;
  kept: number;
  /** The same deletes as an AWS CLI script, for review or to run by hand. */
  cli: string;
}

export async function planTeardown(settings: EnvironmentSettings, signal?: AbortSignal): Promise<TeardownPlan> {
  const facts = await observeSteps(TEARDOWN_STEPS, settings, { aws: awsClients(settings.region), signal });
  const plan = buildPlan(settings, facts, TEARDOWN_STEPS);
  const changes = planChanges(plan);
  return {
    plan: planData(plan),
    reviewed: reviewedKeys(changes),
    confirmNames: [...new Set(changes.flatMap((c) => (c.action === "delete" && c.confirmName ? [c.confirmName] : [])))],
    deletes: changes.filter((c) => c.action === "delete").length,
    kept: changes.filter((c) => c.action === "unchanged").length,
    cli: renderCliScript(settings, identityFacts(facts), plan).text,
  };
}
