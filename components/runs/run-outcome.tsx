// The banner at the top of a finished run: what happened in one sentence and what to do next. An apply that
// succeeded is not the end of the guide: the values still have to reach the cluster (helm upgrade) and the pods
// restart to get the role's token, so the banner lists those steps with their links.
import Link from "next/link";
import type { RunView } from "@/lib/jobs";
import { STATE_ICONS } from "@/components/environments/state-badge";

const FRAME = {
  succeeded: "border-green-700 bg-green-50 text-green-950 dark:bg-green-950 dark:text-green-50",
  failed: "border-red-700 bg-red-50 text-red-950 dark:bg-red-950 dark:text-red-50",
  stopped: "border-amber-700 bg-amber-50 text-amber-950 dark:bg-amber-950 dark:text-amber-50",
} as const;

export function RunOutcome({ view }: { view: RunView }) {
  if (view.status === "queued" || view.status === "running") return null;
  const env = `/environments/${view.environmentId}`;
  const failed = view.steps.find((s) => s.status === "failed");
  if (view.status === "succeeded")
    return (
      <section aria-labelledby="outcome-title" data-testid="run-outcome" data-outcome="succeeded" className={`rounded-lg border-2 p-4 ${FRAME.succeeded}`}>
        <h2 id="outcome-title" className="text-lg font-semibold">
          <span aria-hidden="true">{STATE_ICONS.succeeded} </span>
          {view.kind === "verify" ? "Verified: everything is as planned" : "Applied: AWS and the database are ready"}
        </h2>
        {view.kind === "verify" ? (
          <p className="mt-1 text-sm">Every step read back unchanged. Nothing is left to do for this environment.</p>
        ) : (
          <>
            <p className="mt-1 text-sm">What to do next, in this order:</p>
            <ol className="mt-2 ml-5 list-decimal text-sm">
              <li>
                <Link className="underline" href={`${env}/values`}>
                  Download the Helm values
                </Link>{" "}
                (or merge them into the values you deploy with).
              </li>
              <li>Run the <code>helm upgrade</code> command shown on the values page.</li>
              <li>Restart Studio&apos;s pods so they receive the role&apos;s token, then check them with the commands on the values page.</li>
              <li>
                <Link className="underline" href={`${env}/plan`}>
                  Run Verify
                </Link>{" "}
                from the plan page to read everything back.
              </li>
            </ol>
          </>
        )}
      </section>
    );
  const what = view.status === "failed" ? "failed" : view.status === "cancelled" ? "was cancelled" : "was interrupted";
  return (
    <section
      aria-labelledby="outcome-title"
      data-testid="run-outcome"
      data-outcome={view.status}
      className={`rounded-lg border-2 p-4 ${view.status === "failed" ? FRAME.failed : FRAME.stopped}`}
    >
      <h2 id="outcome-title" className="text-lg font-semibold">
        <span aria-hidden="true">{STATE_ICONS[view.status] ?? ""} </span>
        {failed ? `Step “${failed.title ?? failed.key}” failed` : `The run ${what}`}
      </h2>
      <p className="mt-1 text-sm">
        {failed
          ? "Read its error below and the log, fix the cause, then retry the step: the steps after it continue from there."
          : "Nothing done so far is lost: resume the run below and it continues with what is left."}
      </p>
    </section>
  );
}
