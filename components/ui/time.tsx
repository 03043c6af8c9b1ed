// A timestamp rendered the same on server and client (UTC), with the machine-readable value in dateTime.
export function Time({ value }: { value: Date | string | null | undefined }) {
  if (!value) return <span>—</span>;
  const d = typeof value === "string" ? new Date(value) : value;
  const iso = d.toISOString();
  return <time dateTime={iso}>{iso.slice(0, 19).replace("T", " ")} UTC</time>;
}

/** "1 min 5 s" style durations for runs and steps. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || ms < 0) return "—";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${s % 60} s`;
}
