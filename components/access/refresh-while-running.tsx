"use client";
// Re-renders the server page every few seconds while an access run is still working, so its matrix appears
// without a manual reload; stops once the page no longer renders it (the run finished).
import { useEffect } from "react";
import { useRouter } from "next/navigation";

export function RefreshWhileRunning({ everyMs = 2_000 }: { everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), everyMs);
    return () => clearInterval(timer);
  }, [router, everyMs]);
  return null;
}
