// The cutover's browser side: the chart profile picked from pasted values (in the browser, never sent), the way
// back (rollback values and SQL) downloadable from the environment page, and a change of TLS mode audited with its
// before and after values.
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { screenshot } from "./support/harness";
import { ADMIN_STATE } from "./support/users";

const RC16_VALUES = `USER-SUPPLIED VALUES:
config:
  database:
    host: studio-db.example.internal
    databaseName: studio
app:
  serviceAccount:
    create: false
eventIngestion:
  mode: separate
`;

test.use({ storageState: ADMIN_STATE });

test("chart picked from pasted values; rollback downloads; TLS change audited", async ({ page }) => {
  await page.goto("/environments");
  await page.getByLabel("New environment name").fill("wayback");
  await page.getByRole("button", { name: "Create and start the wizard" }).click();
  await page.getByLabel("AWS region").fill("eu-west-1");
  await page.getByLabel("EKS cluster name").fill("studio-eks");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByLabel("DB instance or cluster identifier").fill("studio-db");
  await page.getByLabel("Database name").fill("studio");
  await page.getByLabel("Original database user").fill("studio_owner");
  await expect(page.getByRole("group", { name: "How the IAM user may change the original user's tables" }).getByLabel("Member of the original user's role")).toBeChecked();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByLabel("Models are already on S3").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page).toHaveURL(/wizard\/helm$/);

  // The chart layout is read from the pasted values (helm get values output, heading included).
  await page.getByLabel("Your current values (optional)").fill(RC16_VALUES);
  await page.getByRole("button", { name: "Pick the chart from these values" }).click();
  await expect(page.getByTestId("chart-detection")).toContainText("Picked studio-3.0-rc.16 (event ingestion separate)");
  await expect(page.getByLabel("Studio Helm chart")).toHaveValue("studio-3.0-rc.16");
  await expect(page.getByLabel("Event ingestion (eventIngestion.mode)")).toHaveValue("separate");
  await screenshot(page, "wizard-helm-detected");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByTestId("summary-chartProfile")).toHaveAttribute("data-value", "studio-3.0-rc.16");
  await expect(page.getByTestId("summary-eventIngestionMode")).toHaveAttribute("data-value", "separate");
  await page.getByRole("button", { name: "Save and review the plan" }).click();
  await expect(page).toHaveURL(/\/plan$/);
  const envPath = new URL(page.url()).pathname.replace(/\/plan$/, "");

  // The way back, from the environment page.
  await page.goto(envPath);
  const [values] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download rollback values" }).click()]);
  expect(values.suggestedFilename()).toBe("wayback-rollback-values.yaml");
  const valuesText = fs.readFileSync((await values.path())!, "utf8");
  expect(valuesText).toContain('useAwsIamAuth: "false"');
  expect(valuesText).toContain('username: "studio_owner"');
  const [sql] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download rollback SQL" }).click()]);
  expect(sql.suggestedFilename()).toBe("wayback-rollback.sql");
  expect(fs.readFileSync((await sql.path())!, "utf8")).toContain('REASSIGN OWNED BY "studio_iam_user" TO "studio_owner";');

  // Turning TLS off is audited with before and after.
  await page.goto(`${envPath}/wizard/database`);
  await page.getByLabel("Off: no TLS (not recommended)").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByRole("button", { name: "Save and review the plan" }).click();
  await expect(page).toHaveURL(/\/plan$/);
  await page.goto("/audit");
  const row = page.getByRole("row").filter({ hasText: "environment.connection-change" });
  await expect(row).toContainText('"field":"dbTls","before":"verify-full","after":"disable"');
});
