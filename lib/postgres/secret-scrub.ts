// Secrets (the DB admin password, IAM auth tokens) must not leave in an error: drivers can echo connection details,
// and a stack trace carries the message. Errors are rebuilt from a scrubbed message, with no cause attached.
import "server-only";
import { redactor } from "../redact";

/** The text with every occurrence of each secret replaced (the one redactor: lib/redact.ts). */
export function scrubSecrets(text: string, secrets: Array<string | undefined>): string {
  return redactor(secrets)(text);
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
