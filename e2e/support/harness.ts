// The browser tests' handles on the world around the console: the AWS double's scenario file, the harness
// that can kill and restart the server, the job store file and the server log.
import fs from "node:fs";
import { expect, type Page } from "@playwright/test";

/** Whether AWS is the preloaded double (false when the specs run against an emulator at AWS_ENDPOINT_URL). */
export const doubledAws = process.env.E2E_DOUBLED_AWS === "1";

/** Steers the AWS double preloaded into the server (format in tests/support/fake-aws/scenario.ts). */
export function setScenario(scenario: Record<string, unknown>): void {
  const file = process.env.E2E_AWS_SCENARIO;
  if (!file) throw new Error("E2E_AWS_SCENARIO is not set");
  fs.writeFileSync(file, JSON.stringify(scenario));
}

/** Kills the console with SIGKILL, as if the process died, and starts it again on the same job store. */
export async function killAndRestartServer(): Promise<void> {
  const res = await fetch(`${process.env.E2E_CONTROL_URL}/kill-and-restart`, { method: "POST" });
  expect(res.status, await res.text()).toBe(200);
}

export function jobStoreBytes(): Buffer {
  const file = process.env.E2E_DATABASE_FILE!;
  // WAL mode: recent writes may still be in the -wal file.
  const parts = [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f));
  return Buffer.concat(parts);
}

export function serverLogText(): string {
  return fs.readFileSync(process.env.E2E_SERVER_LOG!, "utf8");
}

export const pgDatabase = () => process.env.E2E_PG_DATABASE!;

/**
 * A PostgreSQL role name for this run. Roles are cluster-wide and outlive the run's database, so each run's carry
 * its database's suffix: a run that died before cleaning up cannot leave "already there" for the next one, and
 * scripts/e2e.mjs drops exactly these afterwards.
 */
export const pgRole = (base: string) => `${base}_${pgDatabase().slice("studio_e2e_".length)}`;

/** Saves a full-page screenshot as a test artifact under test-results/screenshots. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}
