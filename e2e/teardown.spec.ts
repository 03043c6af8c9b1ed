// Teardown in the browser: an applied trial environment, its teardown plan (every delete with its call, what is
// kept), refused without the typed name, then run; a second plan has nothing left to remove.
import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE } from "./support/users";
import { doubledAws, pgRole, screenshot, setScenario } from "./support/harness";
import { wizardToStorage } from "./support/wizard";

test.use({ storageState: ADMIN_STATE });

/**
 * Plans the teardown and waits for its summary. Plans of one environment are throttled (a few seconds apart, like
 * plan refreshes): a second plan right after a fast teardown run is answered "try again in 1 s", so click again.
 */
async function planTeardown(page: Page, summary: RegExp) {
  await expect(async () => {
    await page.getByRole("button", { name: "Read the account and plan the teardown" }).click();
    await expect(page.getByTestId("teardown-summary")).toHaveText(summary, { timeout: 10_000 });
  }).toPass({ timeout: 45_000 });
}

test("a trial environment's teardown plan lists every delete; run after typing the name, it leaves nothing to remove", async ({ page }) => {
  test.skip(!doubledAws, "the AWS double is reset for this test");
  setScenario({ reset: `teardown-${Date.now()}` });
  const name = "teardown-trial";
  await wizardToStorage(page, name, pgRole("studio_iam_teardown"));
  await page.getByLabel("Models are already on S3").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByRole("button", { name: "Save and review the plan" }).click();
  await expect(page).toHaveURL(/\/plan$/);
  const envUrl = page.url().replace(/\/plan$/, "");

  // Apply (the grants need the DB admin, not given: that step fails; the roles, provider and bucket are made).
  await page.getByRole("form", { name: "Apply or verify" }).getByRole("button", { name: "Apply the plan" }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await expect(page.getByTestId("step-s3-bucket-policy")).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });
  await expect(page.getByTestId("run-status")).not.toHaveText("running", { timeout: 90_000 });

  await page.goto(envUrl);
  await page.getByRole("link", { name: "Teardown", exact: true }).click();
  await expect(page.getByRole("heading", { name: `${name}: remove what the console created` })).toBeVisible();
  await planTeardown(page, /^7 to delete, \d+ kept\.$/);
  const roles = page.getByTestId("plan-step-teardown-roles");
  await expect(roles.locator('[data-action="delete"]')).toHaveCount(4);
  await expect(roles).toContainText("iam:DeleteRole");
  await expect(page.getByTestId("plan-step-teardown-database")).toContainText("kept: not removed by teardown");
  await screenshot(page, "teardown-plan");

  const form = page.getByRole("form", { name: "Remove what the console created" });
  await form.getByLabel(`Type ${name} to confirm`).fill("teardown");
  await form.getByRole("button", { name: "Remove what the console created" }).click();
  await expect(form).toContainText(`must be "${name}" to remove what the console created for it`);
  await form.getByLabel(`Type ${name} to confirm`).fill(name);
  // The explicit choice: IAM database authentication off too (a trial's database has no other IAM users).
  await form.getByLabel("To also turn IAM database authentication off on studio-db, type its identifier").fill("studio-db");
  await form.getByRole("button", { name: "Remove what the console created" }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await expect(page.getByRole("heading", { name: /^Teardown run of/ })).toBeVisible();
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 90_000 });
  await expect(page.getByRole("log", { name: "Run log" })).toContainText("deleted arn:aws:iam::");
  await expect(page.getByRole("log", { name: "Run log" })).toContainText("requested IAM database authentication off on studio-db, immediately");

  await page.goto(envUrl);
  await expect(page.getByTestId("env-torn-down")).toContainText(`what the console created for ${name} was removed`);
  await expect(page.getByTestId("env-state")).toHaveText("torn down");
  await page.goto("/environments");
  await expect(page.getByTestId(`env-state-${name}`)).toHaveText("torn down");
  await page.goto(envUrl);
  await page.goto(`${envUrl}/teardown`);
  await planTeardown(page, /^0 to delete, \d+ kept\.$/);
  await expect(page.getByTestId("teardown-nothing")).toBeVisible();
});
