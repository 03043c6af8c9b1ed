// RDS maintenance windows (`ddd:hh24:mi-ddd:hh24:mi`, UTC, as RDS writes PreferredMaintenanceWindow): when the
// next one starts and ends, so a run waiting for it can say when and give up a bounded time after it.
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const WEEK_MS = 7 * 24 * 3600_000;

function minuteOfWeek(part: string): number | null {
  const m = /^([a-z]{3}):(\d{2}):(\d{2})$/i.exec(part.trim());
  const day = m ? DAYS.indexOf(m[1].toLowerCase()) : -1;
  if (!m || day < 0) return null;
  return day * 1440 + Number(m[2]) * 60 + Number(m[3]);
}

/** The next window at or after `from` (a window in progress counts): its start and end; null when unreadable. */
export function nextMaintenanceWindow(window: string | null, from: Date): { start: Date; end: Date } | null {
  const [a, b] = (window ?? "").split("-");
  const startMin = a ? minuteOfWeek(a) : null;
  const endMin = b ? minuteOfWeek(b) : null;
  if (startMin === null || endMin === null) return null;
  const length = ((endMin - startMin + 7 * 1440) % (7 * 1440)) * 60_000;
  // The start of this week (Sunday 00:00 UTC), then the window's start in it.
  const weekStart = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() - from.getUTCDay());
  let start = weekStart + startMin * 60_000;
  while (start + length <= from.getTime()) start += WEEK_MS;
  while (start - WEEK_MS + length > from.getTime()) start -= WEEK_MS;
  return { start: new Date(start), end: new Date(start + length) };
}

/** `sun:05:00-sun:05:30 UTC (next: 2026-12-06 05:00 UTC)`, for plans and logs. */
export function describeWindow(window: string | null, from: Date): string {
  const next = nextMaintenanceWindow(window, from);
  if (!next) return "the next maintenance window (RDS did not report one)";
  return `the next maintenance window, ${window} UTC (next: ${next.start.toISOString().slice(0, 16).replace("T", " ")} UTC)`;
}
