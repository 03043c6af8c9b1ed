// The wizard's first two pages filled in for the browser tests' PostgreSQL (TLS off: the test server has none).
// Every spec that needs an environment starts here, then makes its own choices from the storage page on.
import { expect, type Page } from "@playwright/test";
import { pgDatabase } from "./harness";

/** Creates the environment and saves its account and database pages; ends on the storage page. */
export async function wizardToStorage(page: Page, name: string, iamDbUser: string): Promise<void> {
  await page.goto("/environments");
  await page.getByLabel("New environment name").fill(name);
  await page.getByRole("button", { name: "Create and start the wizard" }).click();
  await page.getByLabel("AWS region").fill("eu-west-1");
  await page.getByLabel("EKS cluster name").fill("studio-eks");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByLabel("DB instance or cluster identifier").fill("studio-db");
  await page.getByLabel("Database name").fill(pgDatabase());
  await page.getByLabel("IAM database user").fill(iamDbUser);
  await page.getByLabel("Host override").fill("127.0.0.1");
  await page.getByLabel("Port override").fill("5432");
  await page.getByLabel("Off: no TLS (not recommended)").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page).toHaveURL(/wizard\/storage$/);
}
