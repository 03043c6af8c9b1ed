// Policy documents as text and back: stable pretty JSON for plans and requests, tolerant parsing of what AWS
// returns, and a comparison that ignores what IAM ignores (statement order, list order, one-element lists).
import type { PolicyStatement } from "./types";

/** Keys of a policy document in the order people read them; any other key follows, alphabetically. */
const KEY_ORDER = [
  "Version",
  "Id",
  "Statement",
  "Sid",
  "Effect",
  "Principal",
  "NotPrincipal",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Condition",
];

function keyRank(key: string): number {
  const i = KEY_ORDER.indexOf(key);
  return i === -1 ? KEY_ORDER.length : i;
}

function compareKeys(a: string, b: string): number {
  return keyRank(a) - keyRank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** A deep copy with object keys in a stable order (arrays keep theirs: their order is the builder's). */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareKeys)) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonicalize(v);
    }
    return out;
  }
  return value;
}

/** Pretty JSON (two spaces) with a stable key order: the text shown in plans and sent to AWS. */
export function toPolicyJson(doc: unknown): string {
  return JSON.stringify(canonicalize(doc), null, 2);
}

/**
 * Parses a policy document as AWS returns it. IAM returns documents URL-encoded (`%7B%22Version...`);
 * S3 returns plain JSON. Returns `null` for an empty value; throws with the reason for anything else.
 */
export function parsePolicyDocument(text: string | undefined | null): unknown | null {
  if (!text) return null;
  const trimmed = text.trim();
  const json = trimmed.startsWith("{") ? trimmed : decodeURIComponent(trimmed);
  try {
    return JSON.parse(json);
  } catch (e) {
    throw new Error(`policy document is not valid JSON: ${(e as Error).message}`);
  }
}

/** Keys whose value IAM treats as a set: a string and a one-element list mean the same. */
const SET_KEYS = new Set(["Action", "NotAction", "Resource", "NotResource"]);

function asSortedList(v: unknown): unknown {
  const list = Array.isArray(v) ? v : [v];
  return [...list].map((x) => (typeof x === "string" ? x : canonicalize(x))).sort(byJson);
}

function byJson(a: unknown, b: unknown): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function normalizeStatement(s: unknown): unknown {
  if (!s || typeof s !== "object") return s;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(s as Record<string, unknown>)) {
    if (SET_KEYS.has(key)) out[key] = asSortedList(v);
    else if ((key === "Principal" || key === "NotPrincipal") && v && typeof v === "object")
      out[key] = Object.fromEntries(Object.entries(v).map(([k, p]) => [k, asSortedList(p)]));
    else if (key === "Condition" && v && typeof v === "object")
      out[key] = Object.fromEntries(
        Object.entries(v).map(([op, kv]) => [
          op,
          Object.fromEntries(Object.entries(kv as Record<string, unknown>).map(([k, x]) => [k, asSortedList(x)])),
        ]),
      );
    else out[key] = v;
  }
  return canonicalize(out);
}

/** The document reduced to what IAM compares: statements as a sorted list, set-valued fields sorted. */
export function normalizePolicy(doc: unknown): unknown {
  if (!doc || typeof doc !== "object") return doc;
  const d = doc as Record<string, unknown>;
  const statements = Array.isArray(d.Statement) ? d.Statement : d.Statement === undefined ? [] : [d.Statement];
  return canonicalize({
    ...d,
    Version: d.Version ?? "2008-10-17",
    Statement: statements.map(normalizeStatement).sort(byJson),
  });
}

/** True when two documents grant the same thing in IAM's eyes (order-insensitive where IAM is). */
export function policiesEqual(a: unknown, b: unknown): boolean {
  if (a == null || b == null) return a == b;
  return JSON.stringify(normalizePolicy(a)) === JSON.stringify(normalizePolicy(b));
}

/** True when `statement` appears in `doc` (compared the way `policiesEqual` compares). */
export function policyContainsStatement(doc: unknown, statement: unknown): boolean {
  if (!doc || typeof doc !== "object") return false;
  const d = doc as { Statement?: unknown };
  const statements = Array.isArray(d.Statement) ? d.Statement : d.Statement ? [d.Statement] : [];
  const want = JSON.stringify(normalizeStatement(statement));
  return statements.some((s) => JSON.stringify(normalizeStatement(s)) === want);
}

/** The statements of a policy document as a list (IAM accepts a single object too; anything else is none). */
export function statementsOf(doc: unknown): PolicyStatement[] {
  const raw = doc && typeof doc === "object" ? (doc as { Statement?: unknown }).Statement : undefined;
  return (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((s): s is PolicyStatement => !!s && typeof s === "object");
}
