// A fixed piece of single-threaded CPU work, timed: how fast this virtual machine's CPU is right now. Figures
// measured here moved a lot between runs with nothing else running (the AWS CLI script of apply-vs-cli took 15 s,
// 20 s and 24 s on one afternoon; the pages' 20-client p95 moved by up to 1.5×). The pages bench prints this
// before and after its loads, so a run on a slow CPU can be told apart from one slowed by something else.
import { createHash } from "node:crypto";

const ROW = { id: "bench-run-00001", kind: "apply", status: "succeeded", actor: "bench-admin", at: "2026-12-03T12:00:00.000Z" };

/** Milliseconds for: JSON round trips of 20,000 small rows, then SHA-256 over 16 MiB. Best of three. */
export function cpuReferenceMs(): number {
  const block = Buffer.alloc(64 * 1024, 7);
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    let total = 0;
    for (let i = 0; i < 20_000; i++) total += (JSON.parse(JSON.stringify({ ...ROW, n: i })) as { n: number }).n;
    const hash = createHash("sha256");
    for (let i = 0; i < 256; i++) hash.update(block);
    if (!hash.digest("hex") || total < 0) throw new Error("unreachable");
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
