// What the admin reviewed is all a teardown may delete. The teardown form carries the reviewed deletes (each
// change's id and a digest of its document); a run re-observes the account and refuses when it would delete
// anything not among them. Deletes that are gone since (already deleted, a resumed run) simply drop out.
import { createHash } from "node:crypto";
import { isMutation } from "../steps/change";
import type { PlannedChange } from "../steps/types";

type Row = Pick<PlannedChange, "id" | "document" | "action">;

/** One reviewed delete: `<change id>#<digest of its document>`. */
export function reviewKey(c: Pick<PlannedChange, "id" | "document">): string {
  return `${c.id}#${createHash("sha256").update(c.document ?? "").digest("hex").slice(0, 16)}`;
}

/** The reviewed keys of a plan's deletes. */
export function reviewedKeys(changes: Row[]): string[] {
  return changes.filter(isMutation).map(reviewKey);
}

/** The deletes of `changes` not among `reviewed`, as lines for the log. */
export function unreviewed(changes: (Row & Pick<PlannedChange, "call" | "resource">)[], reviewed: readonly string[]): string[] {
  const ok = new Set(reviewed);
  return changes.filter((c) => isMutation(c) && !ok.has(reviewKey(c))).map((c) => `${c.call} ${c.resource}: ${c.action}, not in the reviewed teardown plan`);
}
