// Reads what the console printed at start-up (scripts/e2e.mjs captures it to a file).
import fs from "node:fs";

export function serverLog(): string {
  const file = process.env.E2E_SERVER_LOG;
  if (!file) throw new Error("E2E_SERVER_LOG is not set: run through `npm run test:e2e`");
  return fs.readFileSync(file, "utf8");
}

/** The one-time first-admin link the server printed, as a path. */
export function setupPath(): string {
  const m = serverLog().match(/https?:\/\/[^\s/]+(\/setup\?token=[A-Za-z0-9_-]+)/);
  if (!m) throw new Error("the server did not print a setup link");
  return m[1];
}
