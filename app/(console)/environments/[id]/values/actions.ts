"use server";
// Preview of a merge: the merged values.yaml and a line diff of what changed. Read-only, so any signed-in
// user may call it (reviewers download values too).
import { userAction, type ActionState } from "@/lib/auth/action";
import { findEnvironment, latestPlanFor, valuesSource } from "@/lib/environments";
import {
  describeCorrections,
  lineDiff,
  MAX_VALUES_BYTES,
  mergeValues,
  ValuesRefusedError,
  ValuesYamlError,
  type DiffLine,
  type ValuesCorrection,
} from "@/lib/helm";

export interface MergeState extends ActionState {
  merged?: string;
  diff?: DiffLine[];
  /** Values corrected because they would have defeated the upgrade (also in the diff). */
  corrections?: ValuesCorrection[];
}

export const previewMerge = userAction("merging values", async (_user, envId: string, _prev: MergeState, form: FormData): Promise<MergeState> => {
  const env = await findEnvironment(envId);
  if (!env) return { ok: false, message: "No such environment." };
  const src = valuesSource(env, await latestPlanFor(env.id));
  if (!src.ok) return { ok: false, message: src.reason };
  const file = form.get("file");
  const existing = file instanceof File && file.size > 0 ? await file.text() : String(form.get("existing") ?? "");
  if (existing.length > MAX_VALUES_BYTES) return { ok: false, errors: { existing: [`must be under ${MAX_VALUES_BYTES} bytes`] } };
  try {
    const merged = mergeValues(existing, src.settings, src.arns, src.context);
    return {
      ok: true,
      message: merged.corrections.length ? `Corrected: ${describeCorrections(merged.corrections)}` : undefined,
      merged: merged.yaml,
      diff: merged.diff ?? lineDiff(existing, merged.yaml),
      corrections: merged.corrections,
      values: { existing },
    };
  } catch (err) {
    if (err instanceof ValuesYamlError) return { ok: false, errors: { existing: [err.message] }, values: { existing } };
    if (err instanceof ValuesRefusedError)
      return { ok: false, errors: { existing: err.reasons.map((r) => `${r.path}: ${r.reason}`) }, values: { existing } };
    throw err;
  }
});
