// Which run controls the run page offers for a run's stored state. Whatever a crash left behind, a run that
// is not active and has work left can be resumed, and a failed step can be retried.
import type { RunView } from "./view";

export interface RunControlsOffer {
  cancel: boolean;
  resume: boolean;
  /** The failed step a retry would re-run, or null. */
  retry: string | null;
}

const DONE = new Set(["succeeded", "skipped"]);

export function controlsFor(view: Pick<RunView, "status" | "steps">): RunControlsOffer {
  const active = view.status === "running" || view.status === "queued";
  const failed = view.steps.find((s) => s.status === "failed");
  const workLeft = view.steps.some((s) => !DONE.has(s.status));
  const stopped = view.status === "interrupted" || view.status === "cancelled" || view.status === "failed";
  return {
    cancel: active,
    // A failed step is offered as a retry (which continues with the steps after it) rather than a resume.
    resume: stopped && workLeft && !(view.status === "failed" && failed),
    retry: !active && failed ? failed.key : null,
  };
}
