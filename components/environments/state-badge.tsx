// An environment's or run's state as a coloured label (text carries the meaning; colour only helps).
const COLOURS: Record<string, string> = {
  draft: "bg-slate-200 text-slate-900",
  planned: "bg-blue-100 text-blue-900",
  applying: "bg-indigo-100 text-indigo-900",
  running: "bg-indigo-100 text-indigo-900",
  queued: "bg-slate-200 text-slate-900",
  pending: "bg-slate-200 text-slate-900",
  done: "bg-green-100 text-green-900",
  succeeded: "bg-green-100 text-green-900",
  failed: "bg-red-100 text-red-900",
  interrupted: "bg-amber-100 text-amber-900",
  cancelled: "bg-slate-300 text-slate-900",
  skipped: "bg-slate-200 text-slate-900",
};

export function StateBadge({ state, testId }: { state: string; testId?: string }) {
  return (
    <span data-testid={testId} className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${COLOURS[state] ?? "bg-slate-200 text-slate-900"}`}>
      {state}
    </span>
  );
}
