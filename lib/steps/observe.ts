import "server-only";
// One observation: every step's read-only `observe`, each after the steps it depends on, independent ones in
// parallel. Reads are shared through a per-observation memo, so a resource several steps look at (the database,
// the caller identity) is read once.
import type { AwsClients } from "../aws/clients";
import type { EnvironmentSettings } from "../config/environment";
import { identityFacts } from "./facts";
import { stepApplies } from "./index";
import type { Facts, ObserveContext, RunSecrets, Step } from "./types";

export interface ObserveOptions {
  aws: AwsClients;
  signal?: AbortSignal;
  secrets?: RunSecrets;
  /** Also observe the steps observed when they run (`observeWhen: "execute"`), e.g. with DB credentials. */
  includeLive?: boolean;
  /** Facts already known (a step observed earlier in the same run); those steps are not read again. */
  known?: Facts;
}

/** A step's read failed: names the step, keeps AWS's error (and its message) as the cause. */
export class ObserveError extends Error {
  constructor(
    readonly step: string,
    readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "ObserveError";
  }
}

/** A memo of reads: the first caller of a key loads it, later callers get the same promise. */
export function readMemo() {
  const reads = new Map<string, Promise<unknown>>();
  return <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let p = reads.get(key) as Promise<T> | undefined;
    if (!p) reads.set(key, (p = load()));
    return p;
  };
}

/** Observes `steps` (those that apply to the settings); returns the facts by step key. */
export async function observeSteps(steps: readonly Step[], settings: EnvironmentSettings, opts: ObserveOptions): Promise<Facts> {
  const facts: Facts = { ...(opts.known ?? {}) };
  const read = readMemo();
  const started = new Map<string, Promise<void>>();
  const wanted = (s: Step) =>
    stepApplies(s, settings) && !(s.key in facts) && (opts.includeLive || (s.observeWhen ?? "plan") === "plan");

  const observe = (step: Step): Promise<void> => {
    let p = started.get(step.key);
    if (p) return p;
    // Only the facts a step's reads need are waited for, not every step it depends on when applying.
    const deps = (step.readsAfter ?? []).map((k) => steps.find((s) => s.key === k)).filter((s): s is Step => !!s && wanted(s));
    p = Promise.all(deps.map(observe)).then(async () => {
      opts.signal?.throwIfAborted();
      const ctx: ObserveContext = {
        settings,
        facts,
        aws: opts.aws,
        // The caller ARN makes AccessDenied messages name who was refused: read when an error is made, by then
        // the identity is usually known even to a step that did not wait for it.
        cx: {
          signal: opts.signal,
          get callerArn() {
            return identityFacts(facts)?.arn;
          },
        },
        read,
        secrets: opts.secrets ?? {},
      };
      try {
        facts[step.key] = await step.observe(ctx);
      } catch (error) {
        // A cancel is not a failed read.
        if (opts.signal?.aborted) throw error;
        throw error instanceof ObserveError ? error : new ObserveError(step.key, error);
      }
    });
    started.set(step.key, p);
    return p;
  };

  const all = steps.filter(wanted).map(observe);
  // Wait for every read before failing, so nothing is left running after the observation has returned.
  const results = await Promise.allSettled(all);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return facts;
}
