// Secrets (the DB admin password, IAM auth tokens) must not leave in an error: drivers can echo connection details,
// and a stack trace carries the message. Errors are rebuilt from a scrubbed message, with no cause attached.
import "server-only";

const REDACTED = "[redacted]";

/** The text with every occurrence of each secret (as typed, URL-encoded or JSON-escaped) replaced. */
export function scrubSecrets(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
    for (const form of forms) if (form) out = out.split(form).join(REDACTED);
  }
  return out;
}

/** An error a caller may log or store: scrubbed message, optional context and hint, the SQLSTATE/errno code only. */
export function safeError(
  error: unknown,
  secrets: Array<string | undefined>,
  context?: string,
  hint?: (message: string, code?: string) => string | null,
): Error & { code?: string } {
  const raw = error as { message?: unknown; code?: unknown; name?: unknown };
  const message = typeof raw?.message === "string" ? raw.message : String(error);
  const code = typeof raw?.code === "string" ? raw.code : undefined;
  const extra = hint?.(message, code);
  const text = [context, message].filter(Boolean).join(": ") + (extra ? ` (${extra})` : "");
  const safe = new Error(scrubSecrets(text, secrets)) as Error & { code?: string };
  if (typeof raw?.name === "string" && raw.name !== "Error") safe.name = raw.name;
  if (code) safe.code = code;
  return safe;
}
