// Fault injection, the same for both wirings: a command may be denied (AccessDenied naming the action and the
// resource), throttled N times, failed with a 5xx or any other code, and delayed (a delay ends early, with the
// SDK's AbortError, when the call's abortSignal fires: the cancel tests rely on it).
import { abortError } from "./errors";

/**
 * An error to answer a command with. `code` is a wire code (`NoSuchEntity`, `InternalError`, …) or one of three
 * words the double turns into the service's own code: `AccessDenied` (AccessDenied, AccessDeniedException;
 * worded as AWS words it, naming the caller, the action and the resource), `Throttle` (Throttling, SlowDown,
 * ThrottlingException) and `ServerError` (ServiceFailure, InternalError, ServerException…, HTTP 500).
 */
export interface Fault {
  code: string;
  /** How many more calls fail; `Infinity` for always. */
  remaining: number;
  /** For AccessDenied: the IAM action to name (default: derived from the command). */
  action?: string;
  /** S3's terse `Access Denied`, without the caller, action and resource. */
  s3Style?: boolean;
  /** The error's message, when the test needs AWS's wording (IAM's "Invalid principal in policy: …"). */
  message?: string;
}

/**
 * A fault chosen call by call (the mixed-fault runs): the service's throttling or HTTP 500, the connection reset
 * before the request reaches the service (nothing happens), or the response lost after the service acted on the
 * request (the change is made; the caller sees the connection drop).
 */
export type CallFault = "Throttle" | "ServerError" | "ConnectionReset" | "LostResponse";

/** Decides a call's fault (or none) as it arrives. */
export type CallFaultPicker = (call: { service: string; command: string; input: object }) => CallFault | undefined;

/** Commands → faults and delays, for the unit tests' `deny`, `throttle`, `fail` and `delay`. */
export class FaultTable {
  private readonly faults = new Map<string, Fault>();
  private readonly delays = new Map<string, number>();

  set(command: string, fault: Fault) {
    this.faults.set(command, fault);
  }

  setDelay(command: string, ms: number) {
    if (ms > 0) this.delays.set(command, ms);
    else this.delays.delete(command);
  }

  /** The fault for this call, counting it down. */
  take(command: string): Fault | undefined {
    const f = this.faults.get(command);
    if (!f || f.remaining <= 0) return undefined;
    f.remaining -= 1;
    return { ...f };
  }

  delayOf(command: string): number {
    return this.delays.get(command) ?? this.delays.get("*") ?? 0;
  }

  clear() {
    this.faults.clear();
    this.delays.clear();
  }
}

/** Waits `ms`, or rejects with the SDK's AbortError as soon as `signal` fires. */
export function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const stop = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    signal?.addEventListener("abort", stop, { once: true });
  });
}
