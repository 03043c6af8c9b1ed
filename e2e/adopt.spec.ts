// Adopting only on purpose, in the browser: environment B names the roles environment A's apply created, so its
// plan shows them as adopt rows (tagged for A, not B); the apply is refused naming the field until each name is
// typed, then adopts them.
import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE } from "./support/users";
import { doubledAws, pgRole, screenshot, setScenario } from "./support/harness";
import { wizardToStorage } from "./support/wizard";

test.use({ storageState: ADMIN_STATE });

async function environment(page: Page, name: string, roles?: { rds: string; s3: string }) {
  await wizardToStorage(page, name, pgRole(`studio_iam_${name.replace(/-/g, "_")}`));
  await page.getByLabel("Models are already on S3").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  if (roles) {
    await page.getByLabel("RDS role name").fill(roles.rds);
    await page.getByLabel("S3 role name").fill(roles.s3);
  }
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByRole("button", { name: "Save and review the plan" }).click();
  await expect(page).toHaveURL(/\/plan$/);
}

test("roles created for another environment are adopt rows, applied only once their names are typed", async ({ page }) => {
  test.skip(!doubledAws, "the AWS double keeps both environments in one account");
  setScenario({ reset: `adopt-${Date.now()}` });
  const rds = "studio-adopt-a-rds-role";
  const s3 = "studio-adopt-a-s3-role";

  // Environment A creates its roles (the grants need the DB admin, not given: that step fails, the roles are made).
  await environment(page, "adopt-a");
  const applyA = page.getByRole("form", { name: "Apply or verify" });
  await expect(applyA.getByTestId("adopt-fields")).toHaveCount(0);
  await applyA.getByRole("button", { name: "Apply the plan" }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await expect(page.getByTestId("step-rds-role")).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });
  await expect(page.getByTestId("step-s3-role")).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });
  await expect(page.getByTestId("run-status")).not.toHaveText("running", { timeout: 90_000 });

  // Environment B names the same roles: adopt rows with what the roles have, and the reason.
  await environment(page, "adopt-b", { rds, s3 });
  const rdsStep = page.getByTestId("plan-step-rds-role");
  await expect(rdsStep.locator('[data-action="adopt"]')).toHaveCount(1);
  await expect(rdsStep).toContainText("was created by the console for environment adopt-a, not adopt-b");
  await expect(page.getByTestId("plan-summary")).toContainText("2 to adopt");
  await screenshot(page, "plan-adopt");

  // Without the names: refused, naming the field; nothing starts.
  const form = page.getByRole("form", { name: "Apply or verify" });
  await form.getByRole("button", { name: "Apply the plan" }).click();
  await expect(form).toContainText(`must be "${rds}" to adopt IAM role ${rds}, which the console did not create for this environment`);
  await expect(form).toContainText(`must be "${s3}" to adopt IAM role ${s3}`);
  await expect(page).toHaveURL(/\/plan$/);

  // With them: the run adopts both roles.
  await form.getByLabel(`Type ${rds} to adopt IAM role ${rds}`).fill(rds);
  await form.getByLabel(`Type ${s3} to adopt IAM role ${s3}`).fill(s3);
  await form.getByRole("button", { name: "Apply the plan" }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await expect(page.getByTestId("step-rds-role")).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });
  await expect(page.getByRole("log", { name: "Run log" })).toContainText(`adopted IAM role arn:aws:iam::`);
});
