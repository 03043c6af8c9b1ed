import "server-only";
// The step catalogue in dependency order, and the graph the runner walks. One entry per guide step.
import type { EnvironmentSettings } from "../config/environment";
import { dbGrantsStep } from "./db-grants";
import { discoverStep } from "./discover";
import { eksAccessStep } from "./eks-access";
import { identityStep } from "./identity";
import { oidcProviderStep } from "./oidc-provider";
import { podIdentityStep } from "./pod-identity";
import { rdsIamAuthStep } from "./rds-iam-auth";
import { rdsRoleStep } from "./rds-role";
import { s3BucketStep } from "./s3-bucket";
import { s3BucketPolicyStep } from "./s3-bucket-policy";
import { s3RoleStep } from "./s3-role";
import type { Step, StepKey } from "./types";

/** A catalogue entry used only by environments whose settings pass `when`. */
function only(when: (settings: EnvironmentSettings) => boolean, step: Step): Step {
  return { ...step, appliesTo: (s) => when(s) && (step.appliesTo?.(s) ?? true) };
}

const irsa = (s: EnvironmentSettings) => s.identityMode === "irsa";
const podIdentity = (s: EnvironmentSettings) => s.identityMode === "pod-identity";

/**
 * identity → discover → oidc-provider (IRSA) → rds-role, s3-role, and with EKS Pod Identity → pod-identity (its
 * associations name the roles); identity → s3-bucket, which with s3-role → s3-bucket-policy (it names the S3
 * role); discover → rds-iam-auth → db-grants (rds_iam exists once IAM authentication is on).
 */
export const STEPS: readonly Step[] = [
  identityStep,
  discoverStep,
  only(irsa, oidcProviderStep),
  rdsRoleStep,
  s3RoleStep,
  s3BucketStep,
  s3BucketPolicyStep,
  only(podIdentity, podIdentityStep),
  rdsIamAuthStep,
  dbGrantsStep,
  only((s) => s.clusterAccess === "eks", eksAccessStep),
] as Step[];

/** Every step key of the catalogue, in order. */
export const STEP_KEYS: readonly StepKey[] = STEPS.map((s) => s.key);

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

/** Does the environment use this step (a step that does not apply is skipped, with nothing to do)? */
export function stepApplies(step: Step, settings: EnvironmentSettings): boolean {
  return step.appliesTo?.(settings) ?? true;
}
