// How each edge state looks: a colour and a line pattern, so the map reads without colour too (the legend and
// every edge's title say it in words as well).
import type { EdgeState } from "@/lib/access/types";

export const EDGE_STYLE: Record<EdgeState, { colour: string; dash?: string; width: number; name: string }> = {
  allowed: { colour: "#15803d", width: 2, name: "green, solid" },
  warning: { colour: "#b45309", dash: "10 3 2 3", width: 2, name: "amber, dash-dot" },
  unintended: { colour: "#b91c1c", width: 3.5, name: "red, thick" },
  denied: { colour: "#6b7280", dash: "6 5", width: 1.5, name: "grey, dashed" },
  missing: { colour: "#6b7280", dash: "2 4", width: 2.5, name: "grey, dotted" },
};

/** Legend order: what is allowed first, then what is not. */
export const EDGE_STATES: EdgeState[] = ["allowed", "warning", "unintended", "denied", "missing"];
