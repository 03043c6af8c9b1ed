// Structured JSON logs on stdout/stderr. Callers never pass secrets; the one redactor (lib/redact.ts) still drops
// fields named like secrets and URL passwords in any text (an error message quoting a connection string).
import { redactFields, redactor } from "./redact";

type Fields = Record<string, unknown>;

const redact = redactor();

function write(level: "info" | "warn" | "error", msg: string, fields: Fields = {}) {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg: redact(msg), ...redactFields(fields, redact) });
  (level === "error" ? process.stderr : process.stdout).write(line + "\n");
}

export const logger = {
  info: (msg: string, fields?: Fields) => write("info", msg, fields),
  warn: (msg: string, fields?: Fields) => write("warn", msg, fields),
  error: (msg: string, fields?: Fields) => write("error", msg, fields),
};
