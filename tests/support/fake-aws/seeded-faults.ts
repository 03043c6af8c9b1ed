// A seeded picker of mixed faults for whole applies (tests/robust/mixed-faults.robust.ts): about `rate` of all
// calls get one of `kinds`. The choice hashes the seed, the call (command and input) and how many times that
// call has arrived, so a seed picks the same faults whatever order parallel steps' calls interleave in. At most
// `maxInARow` faults hit one call in a row, so the SDK's attempts (5 by default) always reach an answer: the runs
// are about surviving faults, not about a call that fails five times.
import type { CallFault, CallFaultPicker } from "./faults";

/** FNV-1a, 32 bits, with murmur3's finaliser (FNV alone spreads texts that differ in one digit poorly). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function seededFaults(opts: { seed: number; rate: number; kinds: readonly CallFault[]; maxInARow?: number }): CallFaultPicker {
  const arrivals = new Map<string, number>();
  const inARow = new Map<string, number>();
  const max = opts.maxInARow ?? 3;
  return ({ service, command, input }) => {
    const call = `${service}:${command}:${JSON.stringify(input)}`;
    const n = (arrivals.get(call) ?? 0) + 1;
    arrivals.set(call, n);
    const h = hash(`${opts.seed}|${call}|${n}`);
    const hit = h / 2 ** 32 < opts.rate && (inARow.get(call) ?? 0) < max;
    inARow.set(call, hit ? (inARow.get(call) ?? 0) + 1 : 0);
    return hit ? opts.kinds[hash(`${h}`) % opts.kinds.length] : undefined;
  };
}
