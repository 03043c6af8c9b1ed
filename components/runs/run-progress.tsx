"use client";
// Live progress of a run: the stepper (state, duration, progress bar per step) and the log, following the
// server-sent events of /runs/[id]/events without reloading. The stream ends when the run ends; when the page
// cannot hold a stream (the per-session cap, a proxy that buffers, a dropped connection) it polls
// /runs/[id]/view instead, and goes live again when a stopped run is resumed.
import { useEffect, useRef, useState } from "react";
import type { LogLine, RunView } from "@/lib/jobs";
import type { ActionState } from "@/lib/auth/action";
import type { ConnectionDescription } from "@/lib/postgres/connect";
import { StateBadge } from "@/components/environments/state-badge";
import { formatDuration } from "@/components/ui/time";
import { RunControls } from "./run-controls";
import { RunLog } from "./run-log";
import { RunOutcome } from "./run-outcome";
import { elapsedMs, useNow } from "./use-now";

type Act = (prev: ActionState, form: FormData) => Promise<ActionState>;
type Mode = "connecting" | "live" | "polling" | "finished";

const ACTIVE = new Set(["queued", "running"]);
/** While a run is active and no stream can be held. */
const POLL_ACTIVE_MS = 2000;
/** After it ended: slowly, so a resume from elsewhere is noticed. */
const POLL_ENDED_MS = 10_000;

export function RunProgress({
  initial,
  initialLogs,
  controls,
  connection,
}: {
  initial: RunView;
  initialLogs: LogLine[];
  controls?: { cancel: Act; resume: Act; retry: Act };
  /** Where the DB admin password would go, for the resume and retry forms. */
  connection?: ConnectionDescription | null;
}) {
  const [view, setView] = useState(initial);
  const [logs, setLogs] = useState(initialLogs);
  const [mode, setMode] = useState<Mode>(ACTIVE.has(initial.status) ? "connecting" : "finished");
  const lastLogId = useRef(initialLogs.at(-1)?.id ?? 0);

  useEffect(() => {
    let stopped = false;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const addLogs = (lines: LogLine[]) => {
      if (!lines.length) return;
      lastLogId.current = Math.max(lastLogId.current, lines[lines.length - 1].id);
      setLogs((prev) => {
        const seen = new Set(prev.map((l) => l.id));
        return [...prev, ...lines.filter((l) => !seen.has(l.id))];
      });
    };

    const poll = (delay: number) => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        if (stopped) return;
        let active = true;
        try {
          const res = await fetch(`/runs/${initial.id}/view?after=${lastLogId.current}`, { cache: "no-store" });
          if (res.ok) {
            const body = (await res.json()) as { view: RunView; logs: LogLine[] };
            setView(body.view);
            addLogs(body.logs);
            active = ACTIVE.has(body.view.status);
          }
        } catch {
          // Unreachable for now: try again at the next tick.
        }
        if (stopped) return;
        if (active) {
          setMode("polling");
          // Back to a stream when one can be had (live is better than polling), else keep polling.
          connect();
        } else {
          setMode("finished");
          poll(POLL_ENDED_MS);
        }
      }, delay);
    };

    const connect = () => {
      if (stopped || source) return;
      const es = new EventSource(`/runs/${initial.id}/events`);
      source = es;
      es.addEventListener("open", () => setMode("live"));
      es.addEventListener("view", (e) => setView(JSON.parse((e as MessageEvent).data)));
      es.addEventListener("logs", (e) => addLogs(JSON.parse((e as MessageEvent).data) as LogLine[]));
      es.addEventListener("end", () => {
        es.close();
        source = null;
        setMode("finished");
        poll(POLL_ENDED_MS);
      });
      es.addEventListener("error", () => {
        // Refused (429, 401) or dropped: EventSource would retry on its own only for a dropped stream; poll
        // either way, and the next poll tries a stream again.
        es.close();
        source = null;
        setMode((m) => (m === "finished" ? m : "polling"));
        poll(POLL_ACTIVE_MS);
      });
    };

    if (ACTIVE.has(initial.status)) connect();
    else poll(POLL_ENDED_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [initial.id, initial.status]);

  const done = view.steps.filter((s) => s.status === "succeeded" || s.status === "skipped").length;
  const active = ACTIVE.has(view.status);
  const now = useNow(active);
  const running = view.steps.filter((s) => s.status === "running");
  return (
    <div className="flex flex-col gap-5">
      <RunOutcome view={view} />
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span>
          Run status: <StateBadge state={view.status} testId="run-status" />
        </span>
        <span>
          {done} of {view.steps.length} steps done
        </span>
        <span data-testid="run-elapsed">
          {active ? "Elapsed" : "Took"} {formatDuration(elapsedMs(view.startedAt, view.finishedAt, view.durationMs, now))}
        </span>
        <span data-testid="run-updates" className="text-slate-700 dark:text-slate-300">
          {mode === "live" ? "Live updates" : mode === "polling" ? "Updating every few seconds" : mode === "finished" ? "Finished" : "Starting live updates…"}
        </span>
      </div>
      {/* Screen readers hear the run's progress once per change of step, not every tick. */}
      <p aria-live="polite" className="sr-only" data-testid="run-announcement">
        {active
          ? `${done} of ${view.steps.length} steps done.${running.length ? ` Running: ${running.map((s) => s.title ?? s.key).join(", ")}.` : ""}`
          : `Run ${view.status}.`}
      </p>
      {view.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {view.error}
        </p>
      ) : null}
      <ol aria-label="Steps" className="flex flex-col gap-2">
        {view.steps.map((s, i) => (
          <li
            key={s.key}
            data-testid={`step-${s.key}`}
            data-status={s.status}
            className={`rounded-md border p-3 ${STEP_FRAME[s.status] ?? "border-slate-300 dark:border-slate-700"}`}
          >
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span className="font-medium">
                {i + 1}. {s.title ?? s.key}
              </span>
              <span className="flex items-center gap-3 text-xs">
                {s.attempt > 1 ? <span>attempt {s.attempt}</span> : null}
                <span>{s.startedAt ? formatDuration(elapsedMs(s.startedAt, s.finishedAt, s.durationMs, now)) : "not started"}</span>
                <StateBadge state={s.status} />
              </span>
            </div>
            {/* A bar only while a step runs: a full grey bar on a waiting or failed step read as done. */}
            {s.status === "running" ? (
              <progress className="mt-2 h-2 w-full" max={1} value={s.progress || undefined} aria-label={`${s.title ?? s.key} progress`} />
            ) : null}
            {s.error ? (
              <p className="mt-1 text-sm text-red-700 dark:text-red-400">
                <span aria-hidden="true">✘ </span>
                {s.error}
              </p>
            ) : null}
            {s.checks?.length ? (
              <ul className="mt-2 text-xs">
                {s.checks.map((c) => (
                  <li key={c.name}>
                    {/* A check that cannot run here (e.g. the IAM token login through a tunnel) is shown as skipped, not passed. */}
                    {!c.ok ? "✘" : c.detail.startsWith("not possible here") ? "○ skipped:" : "✔"} {c.name}: {c.detail}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>
      {controls ? <RunControls view={view} {...controls} connection={connection} /> : null}
      <RunLog runId={view.id} lines={logs} steps={view.steps} />
    </div>
  );
}

/** A step's frame says its state too: solid green done, red failed, blue running, dashed waiting. */
const STEP_FRAME: Record<string, string> = {
  succeeded: "border-green-600",
  failed: "border-red-600 border-2",
  running: "border-blue-600 border-2",
  pending: "border-dashed border-slate-400",
};
