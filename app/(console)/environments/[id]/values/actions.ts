"use server";
// Preview of a merge: the merged values.yaml and a line diff of what changed. Read-only, so any signed-in
// user may call it (reviewers download values too). The merge runs on a worker thread; oversize input gets
// the field's own message (the browser checks the size before sending too: see components/values).
import { db } from "@/lib/db";
import { userAction, type ActionState } from "@/lib/auth/action";
import { valuesSource } from "@/lib/environment-values";
import { DIFF_LIMITS, ValuesLimitError, ValuesYamlError, type DiffLine } from "@/lib/helm";
import { mergeValuesOffThread } from "@/lib/helm/merge-off-thread";

export interface MergeState extends ActionState {
  merged?: string;
  /** null: the merge worked but its diff is too large to show. */
  diff?: DiffLine[] | null;
}

const FIELD = "existing";

export const previewMerge = userAction("merging values", async (_user, envId: string, _prev: MergeState, form: FormData): Promise<MergeState> => {
  const env = await db.environment.findUnique({ where: { id: String(envId) } });
  if (!env) return { ok: false, message: "No such environment." };
  const src = valuesSource(env);
  if (!src.ok) return { ok: false, message: src.reason };
  const file = form.get("file");
  const existing = file instanceof File && file.size > 0 ? await file.text() : String(form.get(FIELD) ?? "");
  // Echoed back into the box only when it is small: a page carrying megabytes twice helps no one.
  const values = existing.length <= 200_000 ? { existing } : undefined;
  try {
    const merged = await mergeValuesOffThread(existing, src.settings, src.arns);
    if (merged.diff === null)
      return {
        ok: true,
        merged: merged.yaml,
        diff: null,
        values,
        message: `Merged. The diff is too large to show (over ${DIFF_LIMITS.maxEditLength.toLocaleString("en-US")} changed lines): download the merged file and compare it locally.`,
      };
    return { ok: true, merged: merged.yaml, diff: merged.diff, values };
  } catch (err) {
    if (err instanceof ValuesLimitError || err instanceof ValuesYamlError)
      return { ok: false, errors: { [FIELD]: [err.message.replace(/^values\.yaml /, "")] }, values };
    throw err;
  }
});
