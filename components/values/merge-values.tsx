"use client";
// Paste or upload an existing values.yaml: preview the merge as a line diff, then download the merged file.
// The size is checked here before anything is sent: past Next's server-action body limit the request would
// fail as a broken page instead of an answer, and a 5 MB paste has no business travelling anyway. The server
// checks again (lib/helm/limits.ts is the one source of both rules).
import { useActionState, useState, type FormEvent } from "react";
import type { MergeState } from "@/app/(console)/environments/[id]/values/actions";
import { Button } from "@/components/ui/button";
import { TextareaField } from "@/components/ui/textarea-field";
import { FormMessage } from "@/components/ui/form-message";
import { MAX_VALUES_BYTES, MAX_VALUES_LINES, valuesSizeProblem } from "@/lib/helm/limits";

type Action = (prev: MergeState, form: FormData) => Promise<MergeState>;

/**
 * The rule the form's input breaks, checked in the browser before sending: the uploaded file's size (its lines
 * are counted by the server, which then answers normally: the file is small enough to send), else the box.
 */
function sizeProblem(form: HTMLFormElement): string | null {
  const file = (form.elements.namedItem("file") as HTMLInputElement | null)?.files?.[0];
  if (file && file.size > 0) return file.size > MAX_VALUES_BYTES ? valuesSizeProblem("", file.size) : null;
  return valuesSizeProblem((form.elements.namedItem("existing") as HTMLTextAreaElement | null)?.value ?? "");
}

export function MergeValues({ action, downloadHref, mergedFileName }: { action: Action; downloadHref: string; mergedFileName: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  const [tooLarge, setTooLarge] = useState<string | null>(null);
  const errors = tooLarge ? [tooLarge] : state.errors?.existing;

  // Both buttons (the preview action and the download's POST) pass through here first.
  function check(event: FormEvent<HTMLFormElement>) {
    const problem = sizeProblem(event.currentTarget);
    setTooLarge(problem);
    if (problem) event.preventDefault();
  }

  return (
    <div className="flex flex-col gap-4">
      <form
        action={formAction}
        className="flex flex-col gap-3"
        aria-label="Merge into an existing values.yaml"
        onSubmit={check}
      >
        <TextareaField
          label="Existing values.yaml"
          name="existing"
          rows={10}
          defaultValue={state.values?.existing}
          errors={errors}
          onChange={() => setTooLarge(null)}
          help={`Unrelated keys, comments and order are kept; env entries with the same names are replaced, not duplicated. Up to ${MAX_VALUES_BYTES.toLocaleString("en-US")} bytes and ${MAX_VALUES_LINES.toLocaleString("en-US")} lines.`}
        />
        <div className="flex flex-col gap-1">
          <label htmlFor="values-file" className="text-sm font-medium">
            …or upload it
          </label>
          <input id="values-file" name="file" type="file" accept=".yaml,.yml,text/yaml" className="text-sm" onChange={() => setTooLarge(null)} />
        </div>
        <div className="flex gap-3">
          <Button type="submit" disabled={pending}>
            Preview the merge
          </Button>
          <Button type="submit" variant="secondary" formAction={downloadHref} formMethod="post" formEncType="multipart/form-data">
            Download the merged values.yaml
          </Button>
        </div>
        <p className="text-xs text-slate-700 dark:text-slate-300">
          The merged file downloads as <code data-testid="merged-file-name">{mergedFileName}</code>, next to the plain values file: use it in
          place of that file in the <code>helm upgrade</code> command below.
        </p>
        <FormMessage ok={state.ok} message={state.message} />
      </form>
      {state.corrections?.length ? (
        <section aria-labelledby="corrections-title" data-testid="values-corrections">
          <h3 id="corrections-title" className="mb-2 font-medium">
            Corrected because they would have defeated the upgrade
          </h3>
          <ul className="list-disc pl-5 text-sm">
            {state.corrections.map((c) => (
              <li key={c.path}>
                <code>{c.path}</code>: {c.was} → {c.now}. {c.reason}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
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
