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
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span>
          Run status: <StateBadge state={view.status} testId="run-status" />
        </span>
        <span>
          {done} of {view.steps.length} steps done
        </span>
        <span>Duration {formatDuration(view.durationMs)}</span>
        <span aria-live="polite" data-testid="run-updates" className="text-slate-700 dark:text-slate-300">
          {mode === "live" ? "Live" : mode === "polling" ? "Updating every few seconds" : mode === "finished" ? "Finished" : "Connecting…"}
        </span>
      </div>
      {view.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {view.error}
        </p>
      ) : null}
      <ol aria-label="Steps" className="flex flex-col gap-2">
        {view.steps.map((s, i) => (
          <li key={s.key} data-testid={`step-${s.key}`} data-status={s.status} className="rounded-md border border-slate-300 p-3 dark:border-slate-700">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span className="font-medium">
                {i + 1}. {s.title ?? s.key}
              </span>
              <span className="flex items-center gap-3 text-xs">
                {s.attempt > 1 ? <span>attempt {s.attempt}</span> : null}
                <span>{formatDuration(s.durationMs)}</span>
                <StateBadge state={s.status} />
              </span>
            </div>
            <progress
              className="mt-2 h-2 w-full"
              max={1}
              value={s.status === "succeeded" ? 1 : s.progress}
              aria-label={`${s.title ?? s.key} progress`}
            />
            {s.error ? <p className="mt-1 text-sm text-red-700 dark:text-red-400">{s.error}</p> : null}
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
      <section aria-labelledby="log-title">
        <h2 id="log-title" className="mb-2 text-lg font-medium">
          Log
        </h2>
        <div role="log" tabIndex={0} aria-label="Run log" className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">
          {logs.length === 0 ? <p>No log lines yet.</p> : null}
          {logs.map((l) => (
            <p key={l.id} data-level={l.level} className={l.level === "error" ? "text-red-300" : l.level === "warn" ? "text-amber-300" : undefined}>
              {l.at.slice(11, 19)} [{l.stepKey ?? "run"}] {l.message}
              {l.requestId ? <span className="text-slate-400"> (request {l.requestId})</span> : null}
            </p>
          ))}
        </div>
      </section>
    </div>
  );
}
