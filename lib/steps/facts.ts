// Typed access to the facts other steps observed, for the steps (and pages) that build on them.
import { identityStep, type IdentityFacts } from "./identity";
import { factsOf, type Facts } from "./types";

export const identityFacts = (facts: Facts): IdentityFacts | undefined => factsOf(facts, identityStep);

/**
 * Not observed: the changes a resumed run's earlier attempts started (accepted, or cut off mid-call), under a key
 * no step uses. A resource such a change creates is the run's own even before it carries the console's tags (a
 * process killed between CreateBucket and PutBucketTagging), so resuming finishes it instead of adopting it.
 */
export const STARTED_BY_RUN = "run:started";

export function startedByRun(facts: Facts, changeId: string): boolean {
  const ids = facts[STARTED_BY_RUN];
  return Array.isArray(ids) && ids.includes(changeId);
}
