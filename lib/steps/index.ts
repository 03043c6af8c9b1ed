import "server-only";
// The step catalogue in dependency order, and the graph the runner walks. One entry per guide step.
import { dbGrantsStep } from "./db-grants";
import { discoverStep } from "./discover";
import { identityStep } from "./identity";
import { oidcProviderStep } from "./oidc-provider";
import { rdsIamAuthStep } from "./rds-iam-auth";
import { rdsRoleStep } from "./rds-role";
import { s3BucketStep } from "./s3-bucket";
import { s3RoleStep } from "./s3-role";
import type { Step, StepKey } from "./types";

/**
 * identity → discover → oidc-provider → rds-role, s3-role → s3-bucket (its policy names the S3 role);
 * discover → rds-iam-auth → db-grants (rds_iam exists once IAM authentication is on).
 */
export const STEPS: Step[] = [
  identityStep,
  discoverStep,
  oidcProviderStep,
  rdsRoleStep,
  s3RoleStep,
  s3BucketStep,
  rdsIamAuthStep,
  dbGrantsStep,
];

/** Each step's direct dependencies. */
export const STEP_DEPENDENCIES: Record<StepKey, StepKey[]> = Object.fromEntries(
  STEPS.map((s) => [s.key, [...s.dependsOn]]),
) as Record<StepKey, StepKey[]>;

// The catalogue order is a topological order: a step comes after everything it depends on.
STEPS.forEach((step, i) => {
  for (const dep of step.dependsOn) {
    const at = STEPS.findIndex((s) => s.key === dep);
    if (at < 0 || at >= i) throw new Error(`step catalogue: ${step.key} depends on ${dep}, which must come before it`);
  }
});

export function stepByKey(key: StepKey): Step {
  const step = STEPS.find((s) => s.key === key);
  if (!step) throw new Error(`unknown step "${key}"`);
  return step;
}

/** Every step `key` needs, directly or through others, in catalogue order. */
export function stepPrerequisites(key: StepKey): StepKey[] {
  const need = new Set<StepKey>();
  const visit = (k: StepKey) => {
    for (const dep of STEP_DEPENDENCIES[k])
      if (!need.has(dep)) {
        need.add(dep);
        visit(dep);
      }
  };
  visit(key);
  return STEPS.map((s) => s.key).filter((k) => need.has(k));
}

/** The AWS steps (everything but the database grants, which need the admin password). */
export const AWS_STEP_KEYS: StepKey[] = STEPS.filter((s) => s.key !== "db-grants").map((s) => s.key);
