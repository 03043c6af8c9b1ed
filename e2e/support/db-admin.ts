// The DB admin's credentials as an admin types them into a run form. The browser tests' database has no TLS, so
// the form asks to confirm sending the password without it; the admin ticks that box, as they would over a tunnel.
import { expect, type Locator, type Page } from "@playwright/test";

export const DB_ADMIN_PASSWORD = "Adm1n-e2e-Pa55word-never-stored";

export async function fillDbAdmin(form: Locator, password = DB_ADMIN_PASSWORD): Promise<void> {
  await form.getByLabel("DB admin user").fill("postgres");
  await form.getByLabel("DB admin password").fill(password);
  const acknowledge = form.getByLabel("Send the password without verified TLS");
  await expect(acknowledge).toBeVisible();
  await acknowledge.check();
}

/** From the plan page: applies the reviewed plan with the DB admin's credentials and waits for the run to succeed. */
export async function applyPlanToSuccess(page: Page): Promise<void> {
  const form = page.getByRole("form", { name: "Apply or verify" });
  await fillDbAdmin(form);
  await form.getByRole("button", { name: "Apply the plan" }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 90_000 });
}
