"use client";
// After a refused save, keyboard and screen-reader users land on the first field that needs attention instead of
// starting over from the top of the page.
import { useEffect, useRef } from "react";

export function useFocusFirstError<T extends HTMLElement>(errors: Record<string, string[]> | undefined) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (!errors || Object.keys(errors).length === 0) return;
    ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);
  return ref;
}
