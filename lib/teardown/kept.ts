// The rows of a teardown plan that delete nothing: what is kept and why, shown beside the deletes so the admin
// sees everything the teardown looked at. `unchanged` in the engine's words; pages label them "kept".
import { ADOPTED_KEY, ENVIRONMENT_KEY, MANAGED_BY_KEY, MANAGED_BY_VALUE } from "../aws/tags";
import { createdHere } from "../steps/adopt";
import { change } from "../steps/change";
import type { Change, StepKey } from "../steps/types";

/** A row that deletes nothing. */
export function kept(step: StepKey, id: string, call: string, resource: string, reason: string): Change {
  return change(step, id, { action: "unchanged", call, resource, reason, needs: [] });
}

/** Created by the console for this environment (its tags), not adopted: what a teardown deletes. */
export function removable(tags: Record<string, string>, environmentName: string): boolean {
  return createdHere(tags, environmentName) && tags[ADOPTED_KEY] !== "true";
}

/** Why a resource with these tags is not the console's to delete for this environment. */
export function notOursReason(tags: Record<string, string>): string {
  if (tags[ADOPTED_KEY] === "true") return "kept: it existed before the console adopted it; a teardown removes only what the console created";
  const other = tags[MANAGED_BY_KEY] === MANAGED_BY_VALUE ? tags[ENVIRONMENT_KEY] : undefined;
  return other
    ? `kept: created by the console for environment ${other}, not for this environment`
    : "kept: not created by the console for this environment";
}

/** The log line of a delete that found nothing left to delete (a resumed run, or someone was quicker). */
export const alreadyGone = (resource: string) => `${resource} was already gone: nothing to delete`;
