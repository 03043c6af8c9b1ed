// How every benchmark reports: human lines as it goes, then one machine-readable line of figures with their
// goals, which `npm run bench` (bench/all.ts) collects into one table.
export interface Figure {
  /** What was measured: `apply-latency fresh wall`. */
  name: string;
  value: number;
  unit: string;
  /** The goal, when the issue names one; `lower` means the value should not exceed it. */
  goal?: { max?: number; min?: number };
  note?: string;
}

export const RESULT_PREFIX = "BENCH-RESULT ";

export function report(bench: string, figures: Figure[]): void {
  console.log(`${RESULT_PREFIX}${JSON.stringify({ bench, figures })}`);
}

export function met(f: Figure): boolean | null {
  if (!f.goal) return null;
  if (f.goal.max !== undefined && f.value > f.goal.max) return false;
  if (f.goal.min !== undefined && f.value < f.goal.min) return false;
  return true;
}

export const ms = (v: number) => `${v.toFixed(0)} ms`;
