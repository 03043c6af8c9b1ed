// A run's cancel signal is shared by every AWS call of the run, and the reads go out side by side. The SDK's HTTP
// handler adds an "abort" listener to the signal it is given while a request is open: given the run's own signal,
// eleven calls at once made Node warn "MaxListenersExceededWarning: 11 abort listeners added to [AbortSignal]".
// awsCall hands each call its own signal that follows the run's; a cancel still reaches every call.
import { afterEach, describe, expect, it } from "vitest";
import { awsCall, type SendOptions } from "@/lib/aws/call";

const warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);
afterEach(() => {
  process.off("warning", onWarning);
  warnings.length = 0;
});

/** Stands in for the SDK's node-http-handler: a listener on the given signal for as long as the request is open. */
function pendingRequest(options: SendOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const signal = options.abortSignal!;
    const onAbort = () => reject(new DOMException("aborted", "AbortError"));
    signal.addEventListener("abort", onAbort, { once: true });
    setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve("ok");
    }, 50);
  });
}

describe("AWS calls side by side on one run signal", () => {
  it("twenty calls at once add no listener to the run's signal and raise no MaxListenersExceededWarning", async () => {
    process.on("warning", onWarning);
    const run = new AbortController();
    const calls = Array.from({ length: 20 }, () => awsCall({ signal: run.signal }, "s3:GetBucketPolicy", pendingRequest));
    expect(await Promise.all(calls)).toEqual(Array(20).fill("ok"));
    await new Promise((r) => setImmediate(r));
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
  });

  it("a cancel of the run still aborts every open call", async () => {
    const run = new AbortController();
    const calls = Array.from({ length: 12 }, () => awsCall({ signal: run.signal }, "iam:GetRole", pendingRequest).catch((e: Error) => e.name));
    run.abort();
    expect(await Promise.all(calls)).toEqual(Array(12).fill("AbortError"));
  });
});
