// Who may do what, in the browser: an apply is followed by an access check whose matrix and map the environment
// page shows (to a viewer too), each map edge linked to its matrix row; an admin checks again on demand; axe
// finds no serious violation on the environment page or the access run's page.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { fillDbAdmin } from "./support/db-admin";
import { doubledAws, pgRole, screenshot, setScenario } from "./support/harness";
import { wizardToStorage } from "./support/wizard";
import { ADMIN_STATE, VIEWER_STATE } from "./support/users";

test.describe.configure({ mode: "serial" });

const ENV_NAME = "accesscheck";
let envPath = "";

async function expectNoSeriousViolations(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  expect(bad, `axe on ${name}`).toEqual([]);
}

/** The matrix and map of an environment whose access is as intended. */
async function expectProvedMatrix(page: Page) {
  const section = page.getByTestId("access-section");
  await expect(section.getByTestId("access-matrix")).toBeVisible();
  await expect(section.getByTestId("access-summary")).toContainText("0 not as intended");
  await expect(section.getByRole("heading", { name: "Access matrix: everything as intended" })).toBeVisible();
  const rows = section.getByTestId("access-row");
  expect(await rows.count()).toBeGreaterThan(10);
  await expect(section.locator('[data-testid="access-row"][data-verdict="fail"]')).toHaveCount(0);
  // The database questions: the RDS role reaches its IAM user and no one else.
  await expect(section.locator("#access-row-connect-iam-user")).toContainText("allowed");
  await expect(section.locator("#access-row-connect-master-user")).toContainText("denied");
  await expect(section.locator("#access-row-connect-other-database")).toContainText("denied");
  // The map: green edges for what is intended, none red.
  const map = section.getByTestId("access-map");
  await expect(map.locator('[data-testid="access-edge"][data-state="allowed"]').first()).toBeVisible();
  await expect(map.locator('[data-testid="access-edge"][data-state="unintended"]')).toHaveCount(0);
}

test.describe("as an admin", () => {
  test.use({ storageState: ADMIN_STATE });

  test("an apply is followed by an access check: the environment page shows the matrix and the map", async ({ page }) => {
    if (doubledAws) setScenario({});
    await wizardToStorage(page, ENV_NAME, pgRole("studio_iam_access"));
    await page.getByLabel("Models are already on S3").check();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.getByRole("button", { name: "Save and review the plan" }).click();
    await expect(page).toHaveURL(/\/plan$/);
    envPath = new URL(page.url()).pathname.replace(/\/plan$/, "");

    // Before any apply there is no proof yet.
    await page.goto(envPath);
    await expect(page.getByTestId("access-section")).toContainText("No access check yet");
    await expect(page.getByTestId("proof-scope")).toContainText("role side");
    await expect(page.getByTestId("proof-scope")).toContainText("database side");

    await page.goto(`${envPath}/plan`);
    const form = page.getByRole("form", { name: "Apply or verify" });
    await fillDbAdmin(form);
    await form.getByRole("button", { name: "Apply the plan" }).click();
    await expect(page).toHaveURL(/\/runs\/[^/]+$/);
    await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 90_000 });
    // Logged after the apply ended (its live stream may have closed by then): read on a fresh load.
    await expect(async () => {
      await page.reload();
      await expect(page.getByRole("log", { name: "Run log" })).toContainText("Access check started after the apply", { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });

    // The check after the apply: its result appears on the environment page.
    await expect(async () => {
      await page.goto(envPath);
      await expect(page.getByTestId("access-proved")).toContainText("proved as intended", { timeout: 1_000 });
    }).toPass({ timeout: 60_000 });
    await expectProvedMatrix(page);

    // Each edge links to its row in the matrix.
    const edge = page.locator('[data-testid="access-edge"][data-state="allowed"]').first();
    const href = await edge.getAttribute("href");
    expect(href).toMatch(/^#access-row-/);
    await expect(page.locator(href!)).toHaveCount(1);
    await edge.click();
    await expect(page).toHaveURL(new RegExp(`${href}$`));
    await screenshot(page, "access-environment");
    await expectNoSeriousViolations(page, "environment with access matrix");

    // The run that proved it is in the history, and its page shows the same matrix.
    await page.getByTestId("access-proved").getByRole("link").click();
    await expect(page).toHaveURL(/\/runs\/[^/]+$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`Access check of ${ENV_NAME}`);
    await expect(page.getByTestId("run-status")).toHaveText("succeeded");
    await expectProvedMatrix(page);
    await expectNoSeriousViolations(page, "access run");
  });

  test("an admin checks access again on demand; the run is read-only and shows its matrix", async ({ page }) => {
    await page.goto(envPath);
    const check = page.getByRole("form", { name: "Check access" });
    await expect(async () => {
      await check.getByRole("button", { name: "Check access now" }).click();
      await expect(page).toHaveURL(/\/runs\/[^/]+$/, { timeout: 5_000 });
    }).toPass({ timeout: 30_000 });
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Access check of");
    await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 60_000 });
    await expect(page.getByTestId("step-access-check")).toContainText("Access matrix (role side");
    // The page renders the matrix once the check has finished, without a manual reload.
    await expectProvedMatrix(page);
    await screenshot(page, "access-run");
  });
});

test.describe("as a viewer", () => {
  test.use({ storageState: VIEWER_STATE });

  test("sees the matrix and the map, but cannot start a check", async ({ page }) => {
    await page.goto(envPath);
    await expectProvedMatrix(page);
    await expect(page.getByRole("form", { name: "Check access" })).toHaveCount(0);
  });
});
