"use client";
// Cancel, resume and retry for admins. Viewers never get this component; the server refuses them anyway.
import { useActionState } from "react";
import type { ActionState } from "@/lib/auth/action";
import type { RunView } from "@/lib/jobs";
import type { ConnectionDescription } from "@/lib/postgres/connect";
import { controlsFor } from "@/lib/jobs/controls";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { DbCredentialsFields } from "./db-credentials-fields";

type Act = (prev: ActionState, form: FormData) => Promise<ActionState>;

function needsDb(view: RunView) {
  return view.steps.some((s) => s.key === "db-grants" && s.status !== "succeeded" && s.status !== "skipped");
}

export function RunControls({
  view,
  cancel,
  resume,
  retry,
  connection,
}: {
  view: RunView;
  cancel: Act;
  resume: Act;
  retry: Act;
  connection?: ConnectionDescription | null;
}) {
  const [cancelState, cancelAction, cancelling] = useActionState(cancel, {});
  const [resumeState, resumeAction, resuming] = useActionState(resume, {});
  const [retryState, retryAction, retrying] = useActionState(retry, {});
  const [byHandState, byHandAction, verifying] = useActionState(retry, {});
  const offer = controlsFor(view);
  const active = offer.cancel;
  const resumable = offer.resume;
  const failed = view.steps.filter((s) => s.status === "failed");
  // Nothing to offer (a run that succeeded): no empty frame left on the page.
  if (!active && !resumable && failed.length === 0) return null;
  return (
    <section aria-label="Run controls" className="flex flex-col gap-4 rounded-lg border border-slate-300 p-4 dark:border-slate-700">
      {active ? (
        <form action={cancelAction} className="flex items-center gap-3">
          <Button type="submit" variant="danger" disabled={cancelling || view.cancelRequested}>
            {view.cancelRequested ? "Cancel requested" : "Cancel run"}
          </Button>
          <FormMessage ok={cancelState.ok} message={cancelState.message} />
        </form>
      ) : null}
      {resumable ? (
        <form action={resumeAction} className="flex flex-col gap-3">
          <p className="text-sm">This run stopped before it finished. Resuming re-applies what is left; steps converge from what they read, so nothing is created twice.</p>
          {needsDb(view) ? <DbCredentialsFields errors={resumeState.errors} prefix="resume-" connection={connection} /> : null}
          <div className="flex items-center gap-3">
            <Button type="submit" disabled={resuming}>
              Resume run
            </Button>
            <FormMessage ok={resumeState.ok} message={resumeState.message} />
          </div>
        </form>
      ) : null}
      {!active && failed.length > 0 ? (
        <form action={retryAction} className="flex flex-col gap-3">
          <input type="hidden" name="step" value={failed[0].key} />
          <p className="text-sm">
            Step <strong>{failed[0].title ?? failed[0].key}</strong> failed. Fix the cause (see its log), then retry it alone; the steps after it continue.
          </p>
          {failed[0].key === "db-grants" ? <DbCredentialsFields errors={retryState.errors} prefix="retry-" connection={connection} /> : null}
          <div className="flex items-center gap-3">
            <Button type="submit" disabled={retrying}>
              Retry “{failed[0].title ?? failed[0].key}”
            </Button>
            <FormMessage ok={retryState.ok} message={retryState.message} />
          </div>
        </form>
      ) : null}
      {!active && failed[0]?.key === "db-grants" ? (
        <form action={byHandAction} className="flex flex-col gap-3" aria-label="Grants run by hand">
          <input type="hidden" name="step" value="db-grants" />
          <input type="hidden" name="byHand" value="on" />
          <p className="text-sm">
            Or a DBA runs <a className="underline" href={`/environments/${view.environmentId}/grants.sql`}>grants.sql</a> by hand. Then the
            console reads the grants back (it runs no statement) and marks the step done when everything is there.
          </p>
          <DbCredentialsFields errors={byHandState.errors} prefix="byhand-" connection={connection} />
          <div className="flex items-center gap-3">
            <Button type="submit" variant="secondary" disabled={verifying}>
              Verify grants run by hand
            </Button>
            <FormMessage ok={byHandState.ok} message={byHandState.message} />
          </div>
        </form>
      ) : null}
    </section>
  );
}
