// RDS without surprises, in the browser: a database with other pending modifications (an instance class change)
// is not modified immediately unless the admin ticks the acknowledgement that lists them. Unticked, IAM
// authentication is requested for the next maintenance window and the run waits for it, across a SIGKILL of the
// server and a resume; ticked, everything is applied now, logged as acknowledged.
import { expect, test, type Page } from "@playwright/test";
import { fillDbAdmin } from "./support/db-admin";
import { doubledAws, killAndRestartServer, pgRole, setScenario } from "./support/harness";
import { ADMIN_STATE } from "./support/users";
import { wizardToStorage } from "./support/wizard";

test.use({ storageState: ADMIN_STATE });
test.describe.configure({ mode: "serial" });

const PENDING = { DBInstanceClass: "db.r6g.large" };

async function planWithPending(page: Page, name: string) {
  setScenario({ reset: `${name}-${Date.now()}`, dbPending: PENDING });
  await wizardToStorage(page, name, pgRole(`studio_iam_${name}`));
  await page.getByLabel("Models are already on S3").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByRole("button", { name: "Save and review the plan" }).click();
  await expect(page).toHaveURL(/\/plan$/);
  await expect(page.getByTestId("plan-step-rds-iam-auth")).toContainText("DBInstanceClass");
  const form = page.getByRole("form", { name: "Apply or verify" });
  await expect(form.getByTestId("pending-ack")).toContainText("Apply IAM authentication now, with the pending modifications: DBInstanceClass");
  await fillDbAdmin(form);
  return form;
}

const runLog = (page: Page) => page.getByRole("log", { name: "Run log" });

test("unticked: requested for the maintenance window; the wait survives a SIGKILL and a resume", async ({ page }) => {
  test.skip(!doubledAws, "the AWS double is told which modifications are pending");
  const form = await planWithPending(page, "mwwait");
  await form.getByRole("button", { name: "Apply the plan" }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await expect(runLog(page)).toContainText("for the next maintenance window, sun:03:00-sun:03:30 UTC", { timeout: 60_000 });
  await expect(runLog(page)).toContainText("not immediately: DBInstanceClass pending");
  await expect(page.getByTestId("step-rds-iam-auth")).toHaveAttribute("data-status", "running");

  await killAndRestartServer();
  await page.reload();
  await expect(page.getByTestId("run-status")).toHaveText("interrupted");
  const controls = page.getByRole("region", { name: "Run controls" });
  await fillDbAdmin(controls);
  await controls.getByRole("button", { name: "Resume run" }).click();
  // The resumed run does not ask RDS again: it finds the request pending and goes on waiting for the window.
  await expect(runLog(page)).toContainText("IAM database authentication is already being applied to studio-db", { timeout: 60_000 });
  await expect(page.getByTestId("step-rds-iam-auth")).toHaveAttribute("data-status", "running");
  await expect(page.getByTestId("run-status")).toHaveText("running");
  await page.getByRole("button", { name: "Cancel run" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("cancelled", { timeout: 30_000 });
});

test("ticked: IAM authentication is applied now, with the acknowledged pending modifications", async ({ page }) => {
  test.skip(!doubledAws, "the AWS double is told which modifications are pending");
  const form = await planWithPending(page, "mwnow");
  await form.getByLabel("Apply IAM authentication now, with the pending modifications: DBInstanceClass").check();
  await form.getByRole("button", { name: "Apply the plan" }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 90_000 });
  await expect(runLog(page)).toContainText("applying now, as acknowledged by the admin, with the pending modifications DBInstanceClass");
  await expect(runLog(page)).toContainText("(ModifyDBInstance, ApplyImmediately)");
});
