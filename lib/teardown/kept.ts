// The rows of a teardown plan that delete nothing: what is kept and why, shown beside the deletes so the admin
// sees everything the teardown looked at. `unchanged` in the engine's words; pages label them "kept".
import { ENVIRONMENT_KEY, MANAGED_BY_KEY, MANAGED_BY_VALUE } from "../aws/tags";
import { change } from "../steps/change";
import type { Change, StepKey } from "../steps/types";

/** A row that deletes nothing. */
export function kept(step: StepKey, id: string, call: string, resource: string, reason: string): Change {
  return change(step, id, { action: "unchanged", call, resource, reason, needs: [] });
}

/** Why a resource with these tags is not the console's for this environment. */
export function notOursReason(tags: Record<string, string>): string {
  const other = tags[MANAGED_BY_KEY] === MANAGED_BY_VALUE ? tags[ENVIRONMENT_KEY] : undefined;
  return other
    ? `kept: created by the console for environment ${other}, not for this environment`
    : "kept: not created by the console for this environment";
}

/** The log line of a delete that found nothing left to delete (a resumed run, or someone was quicker). */
export const alreadyGone = (resource: string) => `${resource} was already gone: nothing to delete`;
