"use client";
// A document (policy JSON, SQL, shell) with a copy button. The text is shown exactly as it will be sent.
import { useState } from "react";

export function CodeBlock({ code, label }: { code: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="relative">
      <button
        type="button"
        onClick={async () => {
          await navigator.clipboard.writeText(code);
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        }}
        className="absolute right-2 top-2 rounded border border-slate-500 bg-slate-800 px-2 py-0.5 text-xs text-slate-100 hover:bg-slate-700"
        aria-label={`Copy ${label}`}
      >
        {copied ? "Copied" : "Copy"}
      </button>
      <pre tabIndex={0} aria-label={label} className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 pr-16 text-xs text-slate-100">
        <code>{code}</code>
      </pre>
    </div>
  );
}
