// A run's secrets live in memory only; everything the runner writes passes through the one redactor
// (lib/redact.ts) made for the run's secret values.
import { redactor, type Redact } from "../redact";
import type { RunSecrets } from "../steps/types";

export { REDACTED, redactDeep, type Redact } from "../redact";

/** RunSecrets fields that are names or choices, not secrets: redacting them would only garble messages. */
const NOT_SECRET: ReadonlySet<string> = new Set(["dbAdminUser", "acknowledgeUnverifiedTls"]);

export function createRedactor(secrets: RunSecrets): Redact {
  return redactor(Object.entries(secrets).flatMap(([key, value]) => (!NOT_SECRET.has(key) && typeof value === "string" ? [value] : [])));
}

/** Empties a secrets object in place, so references a step kept lose the values too. */
export function wipeSecrets(secrets: RunSecrets): void {
  for (const key of Object.keys(secrets)) delete (secrets as Record<string, unknown>)[key];
}
