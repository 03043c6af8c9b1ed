// An environment's, run's or step's state as a label with an icon and its word: the word and the icon carry the
// meaning (for colour-blind readers and screen readers alike), colour only helps.
const COLOURS: Record<string, string> = {
  draft: "bg-slate-200 text-slate-900",
  planned: "bg-blue-100 text-blue-900",
  applying: "bg-indigo-100 text-indigo-900",
  running: "bg-indigo-100 text-indigo-900",
  queued: "bg-slate-200 text-slate-900",
  pending: "bg-slate-100 text-slate-800 border border-dashed border-slate-400",
  done: "bg-green-100 text-green-900",
  "tearing down": "bg-indigo-100 text-indigo-900",
  "torn down": "bg-slate-300 text-slate-900",
  succeeded: "bg-green-100 text-green-900",
  failed: "bg-red-100 text-red-900",
  interrupted: "bg-amber-100 text-amber-900",
  cancelled: "bg-slate-300 text-slate-900",
  skipped: "bg-slate-200 text-slate-900",
};

/** One glyph per state, shaped differently so they tell apart without colour. */
export const STATE_ICONS: Record<string, string> = {
  draft: "✎",
  planned: "☰",
  applying: "↻",
  running: "↻",
  queued: "…",
  pending: "○",
  done: "✔",
  "tearing down": "↻",
  "torn down": "∅",
  succeeded: "✔",
  failed: "✘",
  interrupted: "⏸",
  cancelled: "⊘",
  skipped: "↷",
};

export function StateBadge({ state, testId }: { state: string; testId?: string }) {
  return (
    <span className={`inline-flex items-center gap-1 rounded px-2 py-0.5 text-xs font-semibold ${COLOURS[state] ?? "bg-slate-200 text-slate-900"}`}>
      <span aria-hidden="true">{STATE_ICONS[state] ?? "•"}</span>
      {/* The test id sits on the word alone, so `toHaveText("succeeded")` reads the state, not the icon. */}
      <span data-testid={testId}>{state}</span>
    </span>
  );
}
