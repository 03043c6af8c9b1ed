// The worker-thread side of mergeValuesOffThread: merges one pasted values.yaml per message. Parsing, printing
// and diffing a large paste can take seconds of CPU; here they cannot stall the server's event loop.
import { parentPort } from "node:worker_threads";
import { mergeValues } from "./merge";
import { ValuesLimitError, ValuesRefusedError, ValuesYamlError } from "./errors";
import type { MergeRequest, MergeReply } from "./merge-off-thread";

parentPort?.on("message", ({ id, existing, settings, arns, context }: MergeRequest) => {
  let reply: MergeReply;
  try {
    reply = { id, ok: true, result: mergeValues(existing, settings, arns, context) };
  } catch (error) {
    if (error instanceof ValuesYamlError)
      reply = { id, ok: false, kind: "yaml", message: error.message, line: error.line, column: error.column, path: error.path };
    else if (error instanceof ValuesRefusedError) reply = { id, ok: false, kind: "refused", message: error.message, reasons: error.reasons };
    else if (error instanceof ValuesLimitError) reply = { id, ok: false, kind: "limit", message: error.message };
    else reply = { id, ok: false, kind: "other", message: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
