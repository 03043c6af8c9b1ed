// What every handler of the fake account gets besides the request: the account, the call's region and
// partition, and error builders bound to the SDK module the call came through.
import { createHash } from "node:crypto";
import type { AccountState } from "./state";

export interface CallContext {
  state: AccountState;
  region: string;
  partition: string;
  accountId: string;
  callerArn: string;
  /** An AWS error as the SDK would throw it (modeled class when there is one); status from the code. */
  error(code: string, message?: string, fields?: Record<string, unknown>): Error;
  /** HeadBucket's body-less error for an HTTP status. */
  headError(status: number): Error;
  /** Now, as stored in the state (ISO 8601). */
  now(): string;
}

/** An answer without `$metadata`, which the dispatcher adds. */
export type Answer<O> = Omit<O, "$metadata">;

// The table types stay loose: each handler is typed with its command's input and output, the table is not.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (input: any, cx: CallContext) => object;
export type Handlers = Record<string, Handler>;

export function tagList(tags: Record<string, string> | undefined): { Key: string; Value: string }[] {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

export function tagMap(list: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
}

/** A stable id of `length` characters from `alphabet`, derived from `seed` (same seed, same id). */
export function idFrom(seed: string, length: number, alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"): string {
  let out = "";
  for (let round = 0; out.length < length; round++) {
    const bytes = createHash("sha256").update(`${round}:${seed}`).digest();
    out += Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
  }
  return out.slice(0, length);
}

/** A JSON document given as text, or the error the service gives for one that is not. */
export function parseDocument(cx: CallContext, text: unknown, code: string, message: string): { Statement?: unknown } {
  let doc: unknown;
  try {
    doc = JSON.parse(String(text));
  } catch {
    throw cx.error(code, message);
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw cx.error(code, message);
  return doc as { Statement?: unknown };
}

/** A policy's statements as a list (a single statement may be written as an object). */
export function statementsOf(doc: { Statement?: unknown }): Record<string, unknown>[] {
  const s = doc.Statement;
  return (Array.isArray(s) ? s : s ? [s] : []).filter((x): x is Record<string, unknown> => !!x && typeof x === "object");
}

export function asList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : [];
}
