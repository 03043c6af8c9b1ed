// "Refresh plan": observe everything the steps read, compute the changes and save them as the plan an admin
// reviews. The only place a plan is written (an explicit POST by an admin, never a page render).
import "server-only";
import { db } from "../db";
import { awsClients } from "../aws/clients";
import type { EnvironmentSettings } from "../config/environment";
import { STEPS } from "../steps";
import { observeSteps } from "../steps/observe";
import { buildPlan, factsFingerprint, planData } from "../steps/plan";
import type { RunSecrets } from "../steps/types";
import { latestPlan, savePlan, type SavedPlan } from "./plans";

/** The newest saved plan of an environment (pages read it; they never compute one). */
export const latestPlanFor = (environmentId: string) => latestPlan(db, environmentId);

/** Time between two refreshes of one environment: each one reads the whole account. */
export const REFRESH_INTERVAL_MS = 3_000;
const refreshing = new Map<string, number>();

/**
 * Refreshes are throttled per environment: one at a time, and not again within REFRESH_INTERVAL_MS. Returns
 * the seconds to wait, or 0 and takes the slot (released by `done`).
 */
export function takeRefreshSlot(environmentId: string, now = Date.now()): { waitSeconds: number; done: () => void } {
  const last = refreshing.get(environmentId);
  if (last !== undefined && now - last < REFRESH_INTERVAL_MS)
    return { waitSeconds: Math.ceil((REFRESH_INTERVAL_MS - (now - last)) / 1000), done: () => undefined };
  refreshing.set(environmentId, now);
  // Forget old entries so the map stays as small as the number of environments being refreshed.
  for (const [id, at] of refreshing) if (now - at > REFRESH_INTERVAL_MS * 2) refreshing.delete(id);
  return { waitSeconds: 0, done: () => refreshing.set(environmentId, Date.now()) };
}

export async function refreshPlan(
  environment: { id: string; settings: EnvironmentSettings },
  actor: string,
  opts: { secrets?: RunSecrets; signal?: AbortSignal } = {},
): Promise<SavedPlan> {
  const { settings } = environment;
  const facts = await observeSteps(STEPS, settings, {
    aws: awsClients(settings.region),
    signal: opts.signal,
    secrets: opts.secrets,
    // With the DB admin's credentials (held for this request only) the grants are read too.
    includeLive: Boolean(opts.secrets?.dbAdminPassword),
  });
  return savePlan(db, {
    environmentId: environment.id,
    actor,
    settings,
    facts,
    fingerprint: factsFingerprint(facts),
    plan: planData(buildPlan(settings, facts)),
  });
}

/** The saved plan with its changes live again (pure: recomputed from the saved settings and facts). */
export function livePlan(saved: Pick<SavedPlan, "settings" | "facts">) {
  return buildPlan(saved.settings, saved.facts);
}
