import "server-only";
// The plan of a whole environment: per step, what would be created, updated or left unchanged, with the exact
// documents, and the warnings the admin must read before applying. Pure: discovery happens before.
import type { EnvironmentSettings } from "../config/environment";
import { trustScopeWarning } from "../policies/trust-policy";
import { STEPS } from "./index";
import type { Observed, PlannedChange, StepKey } from "./types";

export interface PlanStep {
  key: StepKey;
  title: string;
  changes: PlannedChange[];
}

export interface Plan {
  steps: PlanStep[];
  warnings: string[];
}

/** Warnings about the environment as a whole; steps add their own (pending modifications, foreign bucket). */
function environmentWarnings(env: EnvironmentSettings, observed: Observed): string[] {
  const out: string[] = [];
  const scope = trustScopeWarning(env.trustScope, env.namespace);
  if (scope) out.push(scope);
  if (!observed.cluster) out.push(`EKS cluster ${env.clusterName} not found in ${env.region}`);
  if (!observed.database) out.push(`${env.dbKind === "instance" ? "RDS DB instance" : "Aurora DB cluster"} ${env.dbIdentifier} not found in ${env.region}`);
  if (observed.bucket.state === "foreign")
    out.push(`bucket ${env.bucketName} belongs to another account: the S3 steps will stop; choose another bucket name`);
  if (env.reassignOwned && env.originalDbOwner)
    out.push(`REASSIGN OWNED BY ${env.originalDbOwner} TO ${env.iamDbUser} was chosen: ownership of every object moves to the IAM user`);
  return out;
}

export function buildPlan(env: EnvironmentSettings, observed: Observed): Plan {
  const steps = STEPS.map((s) => ({ key: s.key, title: s.title, changes: s.plan(env, observed) }));
  const warnings = [...environmentWarnings(env, observed)];
  for (const s of steps) for (const c of s.changes) for (const w of c.warnings ?? []) warnings.push(w);
  return { steps, warnings: [...new Set(warnings)] };
}

/** How many changes of each kind: the plan's one-line summary. */
export function planSummary(plan: Plan): Record<"create" | "update" | "unchanged", number> {
  const out = { create: 0, update: 0, unchanged: 0 };
  for (const s of plan.steps) for (const c of s.changes) if (c.action !== "read") out[c.action]++;
  return out;
}
