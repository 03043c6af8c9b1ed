// A fixed piece of single-threaded CPU work, timed: the speed this virtual machine gives right now. Page figures
// measured here moved by 1.5× within one afternoon with nothing else running (the AWS CLI script of
// apply-vs-cli took 15 s, then 20 s, then 24 s), so the pages bench prints this next to its figures: compare two
// runs' page figures only when their references are close.
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
