"use client";
// Paste or upload an existing values.yaml: preview the merge as a line diff, then download the merged file.
import { useActionState } from "react";
import type { MergeState } from "@/app/(console)/environments/[id]/values/actions";
import { Button } from "@/components/ui/button";
import { TextareaField } from "@/components/ui/textarea-field";
import { FormMessage } from "@/components/ui/form-message";

export function MergeValues({ action, downloadHref }: { action: (prev: MergeState, form: FormData) => Promise<MergeState>; downloadHref: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <div className="flex flex-col gap-4">
      <form action={formAction} className="flex flex-col gap-3" aria-label="Merge into an existing values.yaml">
        <TextareaField
          label="Existing values.yaml"
          name="existing"
          rows={10}
          defaultValue={state.values?.existing}
          errors={state.errors?.existing}
          help="Unrelated keys, comments and order are kept; env entries with the same names are replaced, not duplicated."
        />
        <div className="flex flex-col gap-1">
          <label htmlFor="values-file" className="text-sm font-medium">
            …or upload it
          </label>
          <input id="values-file" name="file" type="file" accept=".yaml,.yml,text/yaml" className="text-sm" />
        </div>
        <div className="flex gap-3">
          <Button type="submit" disabled={pending}>
            Preview the merge
          </Button>
          <Button type="submit" variant="secondary" formAction={downloadHref} formMethod="post" formEncType="multipart/form-data">
            Download the merged values.yaml
          </Button>
        </div>
        <FormMessage ok={state.ok} message={state.message} />
      </form>
      {state.diff ? (
        <section aria-labelledby="diff-title">
          <h3 id="diff-title" className="mb-2 font-medium">
            What changes
          </h3>
          <pre tabIndex={0} data-testid="values-diff" className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
            {state.diff.map((d, i) => (
              <div key={i} className={d.kind === "added" ? "bg-green-900" : d.kind === "removed" ? "bg-red-900" : undefined}>
                {d.kind === "added" ? "+ " : d.kind === "removed" ? "- " : "  "}
                {d.text}
              </div>
            ))}
          </pre>
        </section>
      ) : null}
    </div>
  );
}
