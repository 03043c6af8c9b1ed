import "server-only";
// The teardown catalogue: "remove what this console created" for one environment, as steps of the same engine.
// Each step observes what exists and plans `delete` changes for what carries the console's tags for this
// environment, `unchanged` ("kept") rows for the rest. A teardown run walks identity → discover → pod identity
// associations → roles → OIDC provider, and the bucket beside them; the database settings are only shown.
import { discoverStep } from "../steps/discover";
import { identityStep } from "../steps/identity";
import type { Step } from "../steps/types";
import { teardownBucketStep } from "./bucket";
import { teardownDatabaseStep } from "./database";
import { teardownOidcProviderStep } from "./oidc-provider";
import { teardownPodIdentityStep } from "./pod-identity";
import { teardownRolesStep } from "./roles";

/** The steps that delete (their permissions join the operator policy). */
export const TEARDOWN_ONLY_STEPS: readonly Step[] = [
  teardownPodIdentityStep,
  teardownRolesStep,
  teardownOidcProviderStep,
  teardownBucketStep,
  teardownDatabaseStep,
] as Step[];

/**
 * Discovery for a teardown: what is missing does not block (an abandoned trial's cluster or database may be gone
 * already); it is said as a warning, and the steps that need it find nothing there to remove.
 */
const teardownDiscoverStep: Step = {
  ...(discoverStep as Step),
  blockers: undefined,
  warnings: (facts, s) =>
    (discoverStep.blockers?.(facts, s) ?? []).map((b) => `${b}: the teardown removes what it still finds (roles, bucket) without it`),
};

/** What a teardown run executes: the identity and the discovery first, as an apply does. */
export const TEARDOWN_STEPS: readonly Step[] = [identityStep, teardownDiscoverStep, ...TEARDOWN_ONLY_STEPS] as Step[];
