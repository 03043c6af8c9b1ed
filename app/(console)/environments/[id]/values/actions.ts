"use server";
// Preview of a merge: the merged values.yaml and a line diff of what changed. Read-only, so any signed-in
// user may call it (reviewers download values too). The merge runs on a worker thread; oversize input gets
// the field's own message (the browser checks the size before sending too: see components/values).
import { userAction, type ActionState } from "@/lib/auth/action";
import { findEnvironment, latestPlanFor, valuesSource } from "@/lib/environments";
import {
  describeCorrections,
  DIFF_LIMITS,
  ValuesLimitError,
  ValuesRefusedError,
  ValuesYamlError,
  type DiffLine,
  type ValuesCorrection,
} from "@/lib/helm";
import { mergeValuesOffThread } from "@/lib/helm/merge-off-thread";

export interface MergeState extends ActionState {
  merged?: string;
  /** null: the merge worked but its diff is too large to show. */
  diff?: DiffLine[] | null;
  /** Values corrected because they would have defeated the upgrade (also in the diff). */
  corrections?: ValuesCorrection[];
}

const FIELD = "existing";

export const previewMerge = userAction("merging values", async (_user, envId: string, _prev: MergeState, form: FormData): Promise<MergeState> => {
  const env = await findEnvironment(String(envId));
  if (!env) return { ok: false, message: "No such environment." };
  const src = valuesSource(env, await latestPlanFor(env.id));
  if (!src.ok) return { ok: false, message: src.reason };
  const file = form.get("file");
  const existing = file instanceof File && file.size > 0 ? await file.text() : String(form.get(FIELD) ?? "");
  // Echoed back into the box only when it is small: a page carrying megabytes twice helps no one.
  const values = existing.length <= 200_000 ? { existing } : undefined;
  try {
    const merged = await mergeValuesOffThread(existing, src.settings, src.arns, src.context);
    const corrected = merged.corrections.length ? `Corrected: ${describeCorrections(merged.corrections)}` : undefined;
    const tooLarge =
      merged.diff === null
        ? `Merged. The diff is too large to show (over ${DIFF_LIMITS.maxEditLength.toLocaleString("en-US")} changed lines): download the merged file and compare it locally.`
        : undefined;
    return {
      ok: true,
      message: [tooLarge, corrected].filter(Boolean).join(" ") || undefined,
      merged: merged.yaml,
      diff: merged.diff,
      corrections: merged.corrections,
      values,
    };
  } catch (err) {
    if (err instanceof ValuesLimitError || err instanceof ValuesYamlError)
      return { ok: false, errors: { [FIELD]: [err.message.replace(/^values\.yaml /, "")] }, values };
    if (err instanceof ValuesRefusedError) return { ok: false, errors: { [FIELD]: err.reasons.map((r) => `${r.path}: ${r.reason}`) }, values };
    throw err;
  }
});
