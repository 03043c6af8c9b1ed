// The worker-thread side of mergeValuesOffThread: merges one pasted values.yaml per message. Parsing, printing
// and diffing a large paste can take seconds of CPU; here they cannot stall the server's event loop.
import { parentPort } from "node:worker_threads";
import { mergeValues } from "./merge";
import { ValuesLimitError, ValuesRefusedError, ValuesYamlError } from "./errors";
import type { MergeRequest, MergeReply } from "./merge-off-thread";

/** How a failed merge is answered. */
export function failureReply(id: number, error: unknown): MergeReply {
  if (error instanceof ValuesYamlError) return { id, ok: false, kind: "yaml", message: error.message, line: error.line, column: error.column, path: error.path };
  if (error instanceof ValuesRefusedError) return { id, ok: false, kind: "refused", message: error.message, reasons: error.reasons };
  if (error instanceof ValuesLimitError) return { id, ok: false, kind: "limit", message: error.message };
  // Nesting deep enough to exhaust the stack: the parser reports it as a YAML error when the overflow happens
  // inside it, but it can happen just outside (it did, now and then, on 5,000 nested flow sequences: an HTTP 500).
  if (error instanceof RangeError && /call stack/i.test(error.message))
    return { id, ok: false, kind: "limit", message: "values.yaml nests too deeply to merge" };
  return { id, ok: false, kind: "other", message: error instanceof Error ? error.message : String(error) };
}

parentPort?.on("message", ({ id, existing, settings, arns, context }: MergeRequest) => {
  let reply: MergeReply;
  try {
    reply = { id, ok: true, result: mergeValues(existing, settings, arns, context) };
  } catch (error) {
    reply = failureReply(id, error);
  }
  parentPort!.postMessage(reply);
});
