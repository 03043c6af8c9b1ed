// The matrix as an access run stored it (its step's output, `report.matrix`): read back for the pages without
// pulling the evaluator into them.
import type { AccessMatrix } from "./types";

/** The stored matrix, or null (a check that could not evaluate, or output of another shape). */
export function storedMatrix(output: Record<string, unknown> | null | undefined): AccessMatrix | null {
  const report = output?.report as { matrix?: AccessMatrix } | undefined;
  const m = report?.matrix;
  return m && Array.isArray(m.rows) && Array.isArray(m.nodes) && Array.isArray(m.edges) ? m : null;
}
