"use client";
// The run's log with what a reader needs to find a cause: filter by step and by level, copy what is shown, or
// download the whole log as text (/runs/[id]/log.txt). Steps are named by their titles, as in the stepper.
import { useMemo, useState } from "react";
import type { LogLine, StepView } from "@/lib/jobs";
import { logText } from "@/lib/jobs/log-text";

const LEVELS = [
  { value: "all", label: "All levels" },
  { value: "warn", label: "Warnings and errors" },
  { value: "error", label: "Errors only" },
] as const;

export function RunLog({ runId, lines, steps }: { runId: string; lines: LogLine[]; steps: StepView[] }) {
  const [step, setStep] = useState("all");
  const [level, setLevel] = useState<(typeof LEVELS)[number]["value"]>("all");
  const [copied, setCopied] = useState("");
  const titles = useMemo(() => new Map(steps.map((s) => [s.key as string, s.title ?? s.key])), [steps]);
  const shown = lines.filter(
    (l) =>
      (step === "all" || (step === "run" ? l.stepKey === null : l.stepKey === step)) &&
      (level === "all" || l.level === "error" || (level === "warn" && l.level === "warn")),
  );
  async function copy() {
    try {
      await navigator.clipboard.writeText(logText(shown, titles));
      setCopied(`Copied ${shown.length} line${shown.length === 1 ? "" : "s"}.`);
    } catch {
      setCopied("The browser refused the clipboard: use Download instead.");
    }
  }
  const select = "rounded-md border border-slate-400 bg-white px-2 py-1 text-sm dark:bg-slate-900";
  return (
    <section aria-labelledby="log-title">
      <div className="mb-2 flex flex-wrap items-end gap-3">
        <h2 id="log-title" className="mr-auto text-lg font-medium">
          Log
        </h2>
        <label className="flex flex-col text-xs">
          Step
          <select className={select} value={step} onChange={(e) => setStep(e.target.value)} aria-label="Show the log of">
            <option value="all">All steps</option>
            <option value="run">The run itself</option>
            {steps.map((s) => (
              <option key={s.key} value={s.key}>
                {s.title ?? s.key}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-xs">
          Level
          <select className={select} value={level} onChange={(e) => setLevel(e.target.value as typeof level)} aria-label="Log level">
            {LEVELS.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={copy} className="rounded-md border border-slate-400 px-3 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800">
          Copy shown lines
        </button>
        <a href={`/runs/${runId}/log.txt`} download className="rounded-md border border-slate-400 px-3 py-1 text-sm underline hover:bg-slate-100 dark:hover:bg-slate-800">
          Download log as text
        </a>
      </div>
      <p aria-live="polite" className="sr-only" data-testid="log-copied">
        {copied}
      </p>
      <p className="mb-1 text-xs text-slate-700 dark:text-slate-300" data-testid="log-count">
        Showing {shown.length} of {lines.length} lines.
      </p>
      <div role="log" tabIndex={0} aria-label="Run log" className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">
        {shown.length === 0 ? <p>{lines.length === 0 ? "No log lines yet." : "No lines match these filters."}</p> : null}
        {shown.map((l) => (
          <p key={l.id} data-level={l.level} className={l.level === "error" ? "text-red-300" : l.level === "warn" ? "text-amber-300" : undefined}>
            {l.at.slice(11, 19)} {l.level === "info" ? "" : `${l.level.toUpperCase()} `}[{l.stepKey ? (titles.get(l.stepKey) ?? l.stepKey) : "run"}] {l.message}
            {l.requestId ? <span className="text-slate-400"> (request {l.requestId})</span> : null}
          </p>
        ))}
      </div>
    </section>
  );
}
