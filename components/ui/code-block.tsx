"use client";
// A document (policy JSON, SQL, shell) with a copy button. The text is shown exactly as it will be sent. The
// button sits in a bar above the text, never over it: a long command's end (`-f staging-values.yaml`) stays
// visible. The bar's status says "Copied" to screen readers too.
import { useState } from "react";

export function CodeBlock({ code, label }: { code: string; label: string }) {
  const [copied, setCopied] = useState<"" | "Copied" | "Copy refused by the browser">("");
  return (
    <div className="overflow-hidden rounded-md bg-slate-900">
      <div className="flex items-center justify-end gap-2 border-b border-slate-700 px-2 py-1">
        <span aria-live="polite" className="text-xs text-slate-300">
          {copied}
        </span>
        <button
          type="button"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(code);
              setCopied("Copied");
            } catch {
              setCopied("Copy refused by the browser");
            }
            setTimeout(() => setCopied(""), 1500);
          }}
          className="rounded border border-slate-500 bg-slate-800 px-2 py-0.5 text-xs text-slate-100 hover:bg-slate-700"
          aria-label={`Copy ${label}`}
        >
          Copy
        </button>
      </div>
      <pre tabIndex={0} aria-label={label} className="max-h-96 overflow-auto p-3 text-xs text-slate-100">
        <code>{code}</code>
      </pre>
    </div>
  );
}
