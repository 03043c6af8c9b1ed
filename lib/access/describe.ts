// Statements in words, for reasons, findings and the matrix table. Light on purpose: the components import it
// without pulling the evaluator into the page.
import type { StatementRef } from "./types";

/** `statement 2 "DenyInsecureTransport" of the bucket policy of b`, or `the trust policy of r` for a whole policy. */
export function describeRef(ref: StatementRef): string {
  if (ref.index === undefined) return `the ${ref.source.label}`;
  return `statement ${ref.index}${ref.sid ? ` "${ref.sid}"` : ""} of the ${ref.source.label}`;
}
