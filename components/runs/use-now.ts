"use client";
// The current time, ticking once a second while `live`: the run page's elapsed times move between server updates.
import { useEffect, useState } from "react";

export function useNow(live: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [live]);
  return now;
}

/** Elapsed time of something that started at `startedAt`: fixed once finished, else counted up to `now`. */
export function elapsedMs(startedAt: string | null, finishedAt: string | null, durationMs: number | null, now: number): number | null {
  if (!startedAt) return durationMs;
  if (finishedAt) return durationMs;
  return Math.max(durationMs ?? 0, now - Date.parse(startedAt));
}
