// Secrets leave early: a run's secrets live in memory only, and every text the runner writes (log lines, step
// errors, outputs, the plan) passes through a redactor first, in case a step or a driver echoes one back.
import type { RunSecrets } from "../steps/types";

export const REDACTED = "[redacted]";

/** RunSecrets fields that are names, not secrets: redacting them would only garble messages. */
const NOT_SECRET: ReadonlySet<string> = new Set(["dbAdminUser"]);

export type Redact = (text: string) => string;

/** The forms a secret takes in text: as is, URL-encoded (connection strings) and JSON-escaped. */
function secretForms(secrets: RunSecrets): string[] {
  const forms = new Set<string>();
  for (const [key, value] of Object.entries(secrets)) {
    if (NOT_SECRET.has(key) || typeof value !== "string" || value === "") continue;
    forms.add(value);
    forms.add(encodeURIComponent(value));
    forms.add(JSON.stringify(value).slice(1, -1));
  }
  // Longest first, so a secret that contains another is replaced whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

export function createRedactor(secrets: RunSecrets): Redact {
  const forms = secretForms(secrets);
  if (forms.length === 0) return (text) => text;
  return (text) => forms.reduce((out, form) => out.split(form).join(REDACTED), text);
}

/** Redacts every string inside a JSON-able value. */
export function redactDeep<T>(value: T, redact: Redact): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redactDeep(v, redact)])) as T;
  }
  return value;
}

/** Empties a secrets object in place, so references a step kept lose the values too. */
export function wipeSecrets(secrets: RunSecrets): void {
  for (const key of Object.keys(secrets)) delete (secrets as Record<string, unknown>)[key];
}
