"use client";
// "Which chart do I run?": the admin pastes current values (or `helm get values` output) and the console picks the
// chart profile from the keys, in the browser. The text is not a form field: it is never sent or stored.
import { useId, useState } from "react";
import { CONTROL_CLASS, FieldFrame } from "@/components/ui/field-frame";
import type { ProfileDetection } from "@/lib/helm/detect";

export function ChartDetector({ onDetected }: { onDetected: (d: ProfileDetection) => void }) {
  const id = useId();
  const [text, setText] = useState("");
  const [result, setResult] = useState<string | null>(null);
  const detect = async () => {
    // Loaded on first use: the YAML parser was a third of every wizard page's JavaScript (1.46× an empty page).
    const { detectChartProfile } = await import("@/lib/helm/detect");
    const d = detectChartProfile(text);
    if (d.profile) onDetected(d);
    setResult(
      d.profile
        ? `Picked ${d.profile}${d.eventIngestionMode ? ` (event ingestion ${d.eventIngestionMode})` : ""} from ${d.evidence.join(", ")}.`
        : d.conflict
          ? `No profile picked: ${d.conflict}.`
          : "No profile picked: these values carry none of the keys that tell the chart layouts apart. Choose the chart below.",
    );
  };
  return (
    <FieldFrame
      id={id}
      label="Your current values (optional)"
      help="Paste your values.yaml or the output of helm get values <release>; the chart layout is read from its keys here in the browser and never sent."
    >
      <div className="flex flex-col gap-2">
        <textarea id={id} aria-describedby={`${id}-help`} value={text} onChange={(e) => setText(e.target.value)} className={`${CONTROL_CLASS} min-h-24 font-mono text-xs`} />
        <button type="button" onClick={detect} className="self-start rounded-md border border-slate-400 px-3 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800">
          Pick the chart from these values
        </button>
        <p aria-live="polite" className="text-sm" data-testid="chart-detection">
          {result}
        </p>
      </div>
    </FieldFrame>
  );
}
