// Saved plans: the settings, the facts observed (and their fingerprint) and the changes an admin reviewed.
// Functions take the database, so the job service (which is handed its own) uses them too.
import "server-only";
import type { Db } from "../db-client";
import { environmentSettingsSchema, type EnvironmentSettings } from "../config/environment";
import { canonicalize } from "../policies/policy-json";
import type { PlanData } from "../steps/plan";
import type { Facts } from "../steps/types";

export interface SavedPlan {
  id: string;
  environmentId: string;
  createdAt: Date;
  actor: string;
  settings: EnvironmentSettings;
  facts: Facts;
  fingerprint: string;
  plan: PlanData;
}

/** How long a reviewed plan may be applied: `PLAN_MAX_AGE_HOURS` (default 24). */
export function planMaxAgeMs(): number {
  const hours = Number(process.env.PLAN_MAX_AGE_HOURS);
  return (Number.isFinite(hours) && hours > 0 ? hours : 24) * 3_600_000;
}

type Row = { id: string; environmentId: string; createdAt: Date; actor: string; settings: string; facts: string; fingerprint: string; plan: string };

function toSaved(row: Row): SavedPlan {
  return {
    id: row.id,
    environmentId: row.environmentId,
    createdAt: row.createdAt,
    actor: row.actor,
    // Written by savePlan from validated settings: parsed again here, where they leave the database.
    settings: environmentSettingsSchema.parse(JSON.parse(row.settings)),
    facts: JSON.parse(row.facts) as Facts,
    fingerprint: row.fingerprint,
    plan: JSON.parse(row.plan) as PlanData,
  };
}

export async function savePlan(db: Db, input: Omit<SavedPlan, "id" | "createdAt">): Promise<SavedPlan> {
  const row = await db.plan.create({
    data: {
      environmentId: input.environmentId,
      actor: input.actor,
      settings: JSON.stringify(input.settings),
      facts: JSON.stringify(input.facts),
      fingerprint: input.fingerprint,
      plan: JSON.stringify(input.plan),
    },
  });
  return toSaved(row);
}

export async function latestPlan(db: Db, environmentId: string): Promise<SavedPlan | null> {
  const row = await db.plan.findFirst({ where: { environmentId }, orderBy: { createdAt: "desc" } });
  return row ? toSaved(row) : null;
}

export async function getPlan(db: Db, id: string): Promise<SavedPlan | null> {
  const row = await db.plan.findUnique({ where: { id } });
  return row ? toSaved(row) : null;
}

/** Same settings in the sense that matters: the same validated values (key order aside). */
export function sameSettings(a: EnvironmentSettings, b: EnvironmentSettings): boolean {
  return JSON.stringify(canonicalize(a)) === JSON.stringify(canonicalize(b));
}

/**
 * Why a saved plan may not be applied as it is (null when it may): a newer plan exists, the settings changed
 * since it was computed, or it is older than the configured age.
 */
export function planRefusal(
  plan: SavedPlan,
  current: { settings: EnvironmentSettings | null; latestPlanId: string | null },
  now = Date.now(),
): string | null {
  if (current.latestPlanId !== plan.id) return "A newer plan exists for this environment: review that one.";
  if (!current.settings || !sameSettings(plan.settings, current.settings))
    return "The settings changed since this plan was computed: refresh the plan and review it again.";
  const age = now - plan.createdAt.getTime();
  if (age > planMaxAgeMs())
    return `This plan is ${Math.floor(age / 3_600_000)} h old (plans may be applied for ${planMaxAgeMs() / 3_600_000} h): refresh it and review it again.`;
  return null;
}
