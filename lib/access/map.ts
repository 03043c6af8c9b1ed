// The access map as data: one edge per pair of boxes, summing up the rows between them, coloured by the worst.
import type { AccessEdge, AccessNode, AccessRow, EdgeState } from "./types";

/** Words for each state: the map's legend, titles and labels (colour never carries the meaning alone). */
export const EDGE_STATE_TEXT: Record<EdgeState, string> = {
  allowed: "allowed and intended",
  warning: "allowed, with a warning",
  unintended: "allowed but not intended",
  denied: "denied as intended",
  missing: "denied but intended",
};

/** Worst first: an edge takes the state of its worst row. */
const ORDER: EdgeState[] = ["unintended", "missing", "warning", "allowed", "denied"];

export function rowEdgeState(row: AccessRow): EdgeState {
  if (row.verdict === "fail") return row.decision === "allowed" ? "unintended" : "missing";
  if (row.verdict === "warn") return "warning";
  return row.decision === "allowed" ? "allowed" : "denied";
}

export function buildEdges(rows: readonly AccessRow[]): AccessEdge[] {
  const groups = new Map<string, AccessRow[]>();
  for (const row of rows) {
    const key = `${row.from}>${row.to}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].map((group) => {
    const state = ORDER.find((s) => group.some((r) => rowEdgeState(r) === s))!;
    const worst = group.find((r) => rowEdgeState(r) === state)!;
    const allowed = group.filter((r) => r.decision === "allowed").length;
    const count = group.length === 1 ? "1 question" : `${group.length} questions, ${allowed} allowed`;
    return {
      id: `${group[0].from}--${group[0].to}`,
      from: group[0].from,
      to: group[0].to,
      state,
      rowIds: group.map((r) => r.id),
      rowId: worst.id,
      label: `${EDGE_STATE_TEXT[state]} (${count})`,
    };
  });
}

/** Each node once: the environment's own first, then the strangers, otherwise in the order the questions met them. */
export function uniqueNodes(nodes: readonly AccessNode[]): AccessNode[] {
  const seen = new Map<string, AccessNode>();
  for (const n of nodes) if (!seen.has(n.id)) seen.set(n.id, n);
  const all = [...seen.values()];
  return [...all.filter((n) => n.intended), ...all.filter((n) => !n.intended)];
}
