// The one redactor. Secrets leave early: every text the runner stores (log lines, step errors, outputs), every
// PostgreSQL error a step passes on, and every structured log line goes through these functions first, in case a
// driver, a step or a caller echoes a secret back. Three rules, used everywhere:
// - known secret values, in every form they take in text (as typed, URL-encoded, JSON-escaped), are replaced;
// - the password part of a URL's userinfo (`scheme://user:password@host`) is replaced, whoever's it is;
// - fields whose name says they carry a secret (password, secret, token, cookie, authorization) are replaced.
export const REDACTED = "[redacted]";

export type Redact = (text: string) => string;

/** The forms a secret takes in text, longest first (so a secret that contains another is replaced whole). */
function secretForms(secrets: Iterable<string | undefined>): string[] {
  const forms = new Set<string>();
  for (const value of secrets) {
    if (!value) continue;
    forms.add(value);
    forms.add(encodeURIComponent(value));
    forms.add(JSON.stringify(value).slice(1, -1));
  }
  return [...forms].filter(Boolean).sort((a, b) => b.length - a.length);
}

// `scheme://user:password@` — the userinfo's password, up to the last `@` before the host.
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s/]*@/gi;

/** A redactor for these secret values (and URL passwords in general). */
export function redactor(secrets: Iterable<string | undefined> = []): Redact {
  const forms = secretForms(secrets);
  return (text) => forms.reduce((out, form) => out.split(form).join(REDACTED), text).replace(URL_PASSWORD, `$1${REDACTED}@`);
}

/** Redacts every string (keys included) inside a JSON-able value. */
export function redactDeep<T>(value: T, redact: Redact): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redactDeep(v, redact)])) as T;
  }
  return value;
}

const SECRET_FIELD = /pass(word)?|secret|token|cookie|authorization/i;

/** Log fields: a field named like a secret is replaced whole; every other string is redacted like text. */
export function redactFields(fields: Record<string, unknown>, redact: Redact = redactor()): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_FIELD.test(k) ? REDACTED : redactDeep(v, redact);
  return out;
}
