import "server-only";
// The plan of a whole environment: per step, what it read and every change (create / update / unchanged) with
// its exact document, the blockers and warnings the admin must read first, and the fingerprint of the facts it
// was computed from. Pure: the observation happens before (lib/steps/observe.ts).
import { createHash } from "node:crypto";
import type { EnvironmentSettings } from "../config/environment";
import { canonicalize } from "../policies/policy-json";
import { planned } from "./change";
import { STEPS, stepApplies } from "./index";
import type { Change, ChangeAction, Facts, PlannedChange, PlanRead, Step, StepKey } from "./types";

export interface PlanStep {
  key: StepKey;
  title: string;
  /** False when the environment's settings do not use the step. */
  applies: boolean;
  reads: PlanRead[];
  changes: Change[];
  /** What stops the apply at this step (shown as warnings too). */
  blockers: string[];
  warnings: string[];
}

export interface Plan {
  steps: PlanStep[];
  /** Every blocker and warning of every step, once each. */
  warnings: string[];
}

function safely<T>(fn: () => T, fallback: T, onError: (message: string) => void): T {
  try {
    return fn();
  } catch (error) {
    onError(error instanceof Error ? error.message : String(error));
    return fallback;
  }
}

export function buildPlan(settings: EnvironmentSettings, facts: Facts, steps: readonly Step[] = STEPS): Plan {
  const out: PlanStep[] = steps.map((step) => {
    const applies = stepApplies(step, settings);
    const blockers: string[] = [];
    const bad = (m: string) => blockers.push(m);
    if (!applies) return { key: step.key, title: step.title, applies, reads: [], changes: [], blockers, warnings: [] };
    // A step that cannot compute its changes (an identifier refused before any SQL is built) blocks; it never
    // takes the plan page or a download down with it.
    const changes = safely(() => step.changes(facts, settings), [], bad);
    const reads = safely(() => step.reads?.(settings) ?? [], [], bad);
    blockers.push(...safely(() => step.blockers?.(facts, settings) ?? [], [], bad));
    const warnings = safely(() => step.warnings?.(facts, settings) ?? [], [], bad);
    return { key: step.key, title: step.title, applies, reads, changes, blockers, warnings };
  });
  const warnings = out.flatMap((s) => [...s.blockers, ...s.warnings, ...s.changes.flatMap((c) => c.warnings ?? [])]);
  return { steps: out, warnings: [...new Set(warnings)] };
}

export type PlanSummary = Record<ChangeAction, number>;

/**
 * How many changes of each kind, as the admin perceives them: a change that only serves another (a temporary
 * membership granted and revoked around the grants) is counted with it, not on its own.
 */
export function planSummary(plan: Pick<Plan, "steps"> | { steps: { changes: PlannedChange[] }[] }): PlanSummary {
  const out: PlanSummary = { create: 0, update: 0, unchanged: 0, adopt: 0, delete: 0, deferred: 0 };
  for (const s of plan.steps) for (const c of s.changes) if (!c.serves) out[c.action]++;
  return out;
}

/** Every change of the plan, in the order the apply runs them. */
export function planChanges(plan: Pick<Plan, "steps">): Change[] {
  return plan.steps.flatMap((s) => s.changes);
}

/** The plan as data (what a saved plan stores and pages render). */
export interface PlanData {
  steps: (Omit<PlanStep, "changes" | "reads"> & { changes: PlannedChange[]; reads: Omit<PlanRead, "cli">[] })[];
  warnings: string[];
}

export function planData(plan: Plan): PlanData {
  return {
    warnings: plan.warnings,
    steps: plan.steps.map((s) => ({
      ...s,
      reads: s.reads.map(({ cli: _cli, ...r }) => r),
      changes: s.changes.map(planned),
    })),
  };
}

/** The facts a reviewed plan is held to: everything observed at plan time (not the steps observed when they run). */
export function reviewedFacts(facts: Facts, steps: readonly Step[] = STEPS): Facts {
  const live = new Set(steps.filter((s) => s.observeWhen === "execute").map((s) => s.key));
  return Object.fromEntries(Object.entries(facts).filter(([k]) => !live.has(k)));
}

/** A digest of what was observed: two observations of an unchanged account have the same fingerprint. */
export function factsFingerprint(facts: Facts, steps: readonly Step[] = STEPS): string {
  return createHash("sha256").update(JSON.stringify(canonicalize(reviewedFacts(facts, steps)))).digest("hex");
}

const MAX_SHOWN = 160;

function shown(v: unknown): string {
  if (v === undefined) return "(absent)";
  const text = JSON.stringify(v);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/**
 * What changed between two observations, one line per differing value (`rds-role › trustPolicy › Statement ›
 * 0 › Condition: … → …`): the difference an admin reads when a reviewed plan is refused as stale.
 */
export function factsDifference(before: Facts, after: Facts, steps: readonly Step[] = STEPS): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, path: string[]) => {
    if (JSON.stringify(canonicalize(a)) === JSON.stringify(canonicalize(b))) return;
    const bothObjects = a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b);
    if (bothObjects && path.length < 8) {
      const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
      for (const k of keys) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...path, k]);
      return;
    }
    out.push(`${path.join(" › ")}: ${shown(a)} → ${shown(b)}`);
  };
  walk(reviewedFacts(before, steps), reviewedFacts(after, steps), []);
  return out;
}
