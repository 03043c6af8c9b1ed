// The dashboard as an admin and a reviewer use it: wizard → plan → apply with live progress → retry → resume
// after the server died → values and grants downloads → what a viewer sees and may not do.
import fs from "node:fs";
import pg from "pg";
import { expect, test, type Page } from "@playwright/test";
import { DB_ADMIN_PASSWORD, fillDbAdmin } from "./support/db-admin";
import { ADMIN_STATE, VIEWER_STATE } from "./support/users";
import { doubledAws, jobStoreBytes, killAndRestartServer, pgDatabase, pgRole, screenshot, serverLogText, setScenario } from "./support/harness";
import { wizardToStorage } from "./support/wizard";

const STEP_KEYS = ["identity", "discover", "oidc-provider", "rds-role", "s3-role", "s3-bucket", "s3-bucket-policy", "rds-iam-auth", "db-grants"];

test.describe.configure({ mode: "serial" });

let envPath = "";

async function fieldError(page: Page, text: string) {
  await expect(page.getByText(text, { exact: true })).toBeVisible();
}

/** Reads the account again and saves the plan an apply will be held to (pages only read). */
async function refreshPlan(page: Page) {
  // Refreshes of one environment are throttled (a few seconds apart): the previous test may have just refreshed.
  await expect(async () => {
    await page.getByRole("button", { name: /^(Refresh plan|Compute the plan)$/ }).click();
    await expect(page.getByRole("status")).toHaveText("Plan refreshed: review it before applying.", { timeout: 5_000 });
  }).toPass({ timeout: 30_000 });
}

async function startApply(page: Page) {
  await page.goto(`${envPath}/plan`);
  await refreshPlan(page);
  const form = page.getByRole("form", { name: "Apply or verify" });
  await fillDbAdmin(form);
  await form.getByRole("button", { name: "Apply the plan" }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
}

/** Walks the whole wizard with valid values for a new environment; ends on its plan page. */
async function completeWizard(page: Page, name: string, iamDbUser: string) {
  await wizardToStorage(page, name, iamDbUser);
  await page.getByLabel("Models are already on S3").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page).toHaveURL(/wizard\/helm$/);
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByRole("button", { name: "Save and review the plan" }).click();
  await expect(page).toHaveURL(/\/plan$/);
  return new URL(page.url()).pathname.replace(/\/plan$/, "");
}

function stepStatus(page: Page, key: string) {
  return page.getByTestId(`step-${key}`);
}

test.describe("as an admin", () => {
  test.use({ storageState: ADMIN_STATE });

  test("wizard to plan: errors shown next to fields and fixed; a reload keeps the draft", async ({ page }) => {
    setScenario({ reset: "wizard" });
    await page.goto("/environments");
    await page.getByLabel("New environment name").fill("Staging!");
    await page.getByRole("button", { name: "Create and start the wizard" }).click();
    await fieldError(page, "New environment name must be 1-32 lower-case letters, digits or hyphens, starting with a letter (for example staging)");
    await page.getByLabel("New environment name").fill("staging");
    await page.getByRole("button", { name: "Create and start the wizard" }).click();
    await expect(page).toHaveURL(/\/environments\/[^/]+\/wizard\/account$/);
    envPath = new URL(page.url()).pathname.replace(/\/wizard\/account$/, "");
    if (doubledAws) await expect(page.getByTestId("caller-identity")).toContainText("111122223333");
    await screenshot(page, "wizard-account");

    // Account page: a bad region is refused next to its field, then fixed.
    await page.getByLabel("AWS region").fill("mars-north-1x");
    await page.getByLabel("EKS cluster name").fill("studio-eks");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await fieldError(page, "AWS region must be an AWS region code such as eu-west-1");
    await expect(page.getByLabel("AWS region")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("EKS cluster name")).toHaveValue("studio-eks");
    await page.getByLabel("AWS region").fill("eu-west-1");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page).toHaveURL(/wizard\/database$/);

    // Database page: a hostile database name is refused; the IAM user default comes from the schema.
    await expect(page.getByLabel("IAM database user")).toHaveValue("studio_iam_user");
    await page.getByLabel("IAM database user").fill(pgRole("studio_iam_user"));
    await page.getByLabel("DB instance or cluster identifier").fill("studio-db");
    await page.getByLabel("Database name").fill('studio"; DROP TABLE x; --');
    await page.getByLabel("Host override").fill("127.0.0.1");
    await page.getByLabel("Port override").fill("5432");
    await page.getByLabel("Off: no TLS (not recommended)").check();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await fieldError(page, "Database name must start with a letter or '_' and contain only ASCII letters, digits, '_' or '$'");
    await page.getByLabel("Database name").fill(pgDatabase());
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page).toHaveURL(/wizard\/storage$/);

    // A reload mid-wizard resumes from the server-side draft.
    await page.reload();
    await expect(page).toHaveURL(/wizard\/storage$/);
    await page.getByRole("link", { name: "2. Database" }).click();
    await expect(page.getByLabel("Database name")).toHaveValue(pgDatabase());
    await expect(page.getByLabel("Host override")).toHaveValue("127.0.0.1");
    await page.goto(`${envPath}/wizard/storage`);

    // Storage: the suggested bucket name, a bad one refused, and the retrain-or-copy question answered.
    await expect(page.getByLabel("Bucket name")).toHaveValue("studio-shared-storage-staging");
    await page.getByLabel("Bucket name").fill("Bad_Bucket");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await fieldError(page, "Bucket name must be lower-case letters, digits, '.' and '-', starting and ending with a letter or digit");
    await fieldError(page, "Where are your models today? is required: choose where Studio's models are today");
    await page.getByLabel("Bucket name").fill("studio-shared-storage-staging");
    await page.getByLabel("Models are already on S3").check();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page).toHaveURL(/wizard\/helm$/);

    // Helm: defaults (exact service accounts), then review.
    await expect(page.getByLabel("Only Studio's service accounts (recommended)")).toBeChecked();
    await screenshot(page, "wizard-helm");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page).toHaveURL(/wizard\/review$/);
    await expect(page.getByTestId("summary-dbIdentifier")).toHaveText("studio-db");
    await expect(page.getByTestId("summary-dbTls")).toHaveText("Off: no TLS (not recommended)");
    await expect(page.getByTestId("summary-databaseName")).toHaveText(pgDatabase());
    await page.getByRole("button", { name: "Save and review the plan" }).click();
    await expect(page).toHaveURL(/\/plan$/);
    await expect(page.getByTestId("plan-summary")).toContainText("to create");
    for (const key of STEP_KEYS.slice(2)) await expect(page.getByTestId(`plan-step-${key}`)).toBeVisible();
    await expect(page.getByTestId("plan-warning").first()).toBeVisible();
    await screenshot(page, "plan");
  });

  test("the downloaded values.yaml and grants.sql match what the console showed", async ({ page, playwright }) => {
    await page.goto(`${envPath}/plan`);
    const sqlDocs = await page.locator('[data-testid="plan-step-db-grants"] pre').allTextContents();
    expect(sqlDocs.length).toBeGreaterThan(3);
    const [grants] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download grants.sql" }).click()]);
    expect(grants.suggestedFilename()).toBe("staging-grants.sql");
    const grantsSql = fs.readFileSync((await grants.path())!, "utf8");
    // Every statement the plan shows is in the script, to the letter.
    for (const doc of sqlDocs.slice(1)) {
      const statement = doc.trim().split("\n").pop()!.replace(/;$/, "");
      expect(grantsSql).toContain(statement);
    }
    expect(grantsSql).toContain("BEGIN;");

    await page.goto(`${envPath}/values`);
    const shown = await page.getByLabel("values.yaml", { exact: true }).textContent();
    const [values] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download values.yaml" }).click()]);
    expect(values.suggestedFilename()).toBe("staging-values.yaml");
    const yamlText = fs.readFileSync((await values.path())!, "utf8");
    expect(yamlText).toBe(shown);
    expect(yamlText).toContain('useAwsIamAuth: "true"');
    if (doubledAws) expect(yamlText).toContain("arn:aws:iam::111122223333:role/studio-staging-rds-role");
    await screenshot(page, "values");

    // The download route itself: the exact file and headers with a session, 401 without one.
    const res = await page.request.get(`${envPath}/values.yaml`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toBe("application/yaml; charset=utf-8");
    expect(res.headers()["content-disposition"]).toBe('attachment; filename="staging-values.yaml"');
    expect(await res.text()).toBe(yamlText);
    const anonymous = await playwright.request.newContext({ baseURL: process.env.E2E_BASE_URL, storageState: { cookies: [], origins: [] } });
    for (const path of [`${envPath}/values.yaml`, `${envPath}/grants.sql`, `${envPath}/plan/aws-cli.sh`]) {
      const r = await anonymous.get(path);
      expect(r.status(), path).toBe(401);
      expect(await r.text()).not.toContain("useAwsIamAuth");
    }
    expect((await anonymous.post(`${envPath}/values.yaml`, { multipart: { existing: "a: 1" } })).status()).toBe(401);
    await anonymous.dispose();

    // Merging into an existing values.yaml: a preview diff, then the merged file as a download.
    const existing = "# our settings\nglobal:\n  domain: studio.example.com # keep me\nrasa:\n  rasa:\n    overrideEnv:\n      - name: BUCKET_NAME\n        value: old-bucket\n";
    await page.getByRole("textbox", { name: "Existing values.yaml" }).fill(existing);
    await page.getByRole("button", { name: "Preview the merge" }).click();
    const diff = page.getByTestId("values-diff");
    await expect(diff).toContainText("-         value: old-bucket");
    await expect(diff).toContainText("+         value: studio-shared-storage-staging");
    await expect(diff).toContainText("  global:");
    const [merged] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download the merged values.yaml" }).click()]);
    // Named apart from the plain download, so both can sit in one folder.
    expect(merged.suggestedFilename()).toBe("staging-values.merged.yaml");
    const mergedText = fs.readFileSync((await merged.path())!, "utf8");
    expect(mergedText).toContain("domain: studio.example.com # keep me");
    expect(mergedText.match(/name: BUCKET_NAME/g)).toHaveLength(1);
    // Invalid YAML is refused with its position.
    await page.getByRole("textbox", { name: "Existing values.yaml" }).fill("a: [1, 2\nb: c");
    await page.getByRole("button", { name: "Preview the merge" }).click();
    await expect(page.getByText(/Existing values.yaml .*line \d+, column \d+/)).toBeVisible();
  });

  test("apply: progress advances step by step; a failed step is retried alone", async ({ page }) => {
    // With the AWS double one bucket call is refused once and every call is slowed a little, so the failure,
    // the retry and each intermediate state can be watched; an emulator runs the same apply without them.
    if (doubledAws) setScenario({ failOnce: { PutBucketVersioning: "AccessDenied" }, failOnceId: "apply-1", delayMs: { "*": 120 } });
    await startApply(page);

    // Watch the steps change without reloading: record every distinct picture of the stepper.
    const pictures = new Set<string>();
    const finished = doubledAws ? "failed" : "succeeded";
    await expect(async () => {
      const picture = (await Promise.all(STEP_KEYS.map((k) => stepStatus(page, k).getAttribute("data-status")))).join(",");
      pictures.add(picture);
      expect(await page.getByTestId("run-status").textContent()).toBe(finished);
    }).toPass({ timeout: 90_000, intervals: [100] });
    expect(pictures.size).toBeGreaterThanOrEqual(doubledAws ? 3 : 2);
    await expect(stepStatus(page, "identity")).toHaveAttribute("data-status", "succeeded");
    await expect(page.getByRole("log", { name: "Run log" })).toContainText("request");

    if (doubledAws) {
      await expect(stepStatus(page, "s3-bucket")).toHaveAttribute("data-status", "failed");
      await expect(stepStatus(page, "s3-bucket")).toContainText("s3:PutBucketVersioning");
      await screenshot(page, "run-failed");
      await page.getByRole("button", { name: "Retry “Set up the S3 bucket”" }).click();
      await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 60_000 });
      await expect(stepStatus(page, "s3-bucket")).toContainText("attempt 2");
    }
    for (const key of STEP_KEYS) await expect(stepStatus(page, key)).toHaveAttribute("data-status", "succeeded");
    await screenshot(page, "run-succeeded");

    // The DB admin password went nowhere: not the job store, not the server's output, not a page.
    expect(jobStoreBytes().includes(Buffer.from(DB_ADMIN_PASSWORD))).toBe(false);
    expect(serverLogText()).not.toContain(DB_ADMIN_PASSWORD);
    for (const path of [page.url(), `${envPath}/plan`, envPath, "/audit", "/runs"]) {
      await page.goto(path);
      expect(await page.content()).not.toContain(DB_ADMIN_PASSWORD);
    }
  });

  test("after the apply, the plan shows every AWS change unchanged", async ({ page }) => {
    if (doubledAws) setScenario({});
    await page.goto(`${envPath}/plan`);
    // The page shows the plan that was applied until an admin refreshes it (pages only read).
    await refreshPlan(page);
    // Every AWS change now reads "unchanged" (the SQL rows are checked when applied: the plan has no DB credentials).
    for (const key of STEP_KEYS.filter((k) => !["identity", "discover", "db-grants"].includes(k))) {
      const actions = await page.getByTestId(`plan-step-${key}`).getByTestId("plan-change").evaluateAll((els) => els.map((e) => e.getAttribute("data-action")));
      expect(actions.length, key).toBeGreaterThan(0);
      expect(actions.filter((a) => a !== "unchanged"), key).toEqual([]);
    }

    // Refreshed with the DB admin's credentials (read-only, for that request only), the SQL rows are read too: a
    // converged database shows every statement unchanged.
    // (A refresh a moment ago may still hold the slot: the form resets after each answer, so fill it each time.)
    const refresh = page.getByRole("form", { name: "Refresh plan" });
    const sqlActions = () =>
      page.getByTestId("plan-step-db-grants").getByTestId("plan-change").evaluateAll((els) => els.map((e) => e.getAttribute("data-action")));
    // Done when the SQL rows read unchanged: the status is no proof (it shows the previous refresh's words until the
    // answer renders, and a refresh too soon after the last one is refused and must be tried again).
    await expect(async () => {
      if (!(await refresh.getByLabel("DB admin password").isVisible())) await refresh.getByText("Also read the grants").click();
      await fillDbAdmin(refresh);
      await refresh.getByRole("button", { name: "Refresh plan" }).click();
      await expect.poll(async () => (await sqlActions()).filter((a) => a !== "unchanged"), { timeout: 6_000 }).toEqual([]);
    }).toPass({ timeout: 45_000 });
    expect((await sqlActions()).length).toBeGreaterThan(5);
    expect(await page.content()).not.toContain(DB_ADMIN_PASSWORD);

    // And a verify run reads everything back and finds it as planned.
    const verify = page.getByRole("form", { name: "Apply or verify" });
    await fillDbAdmin(verify);
    await verify.getByRole("button", { name: "Verify by read-back" }).click();
    await expect(page).toHaveURL(/\/runs\/[^/]+$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Verify run of");
    await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 60_000 });
    for (const key of STEP_KEYS) await expect(stepStatus(page, key)).toHaveAttribute("data-status", "succeeded");
    await expect(stepStatus(page, "db-grants")).toContainText("rds_iam");
  });

  test("a run interrupted by a server crash is resumed", async ({ page }) => {
    // The crash must land while steps are still working: only the double can hold a call open that long. The
    // RDS request is held too, so the grants step (after it) has not run and the resume asks for the DB admin.
    test.skip(!doubledAws, "needs the AWS double to hold CreateBucket open while the server is killed");
    setScenario({ reset: "interrupt", delayMs: { CreateBucket: 30_000, ModifyDBInstance: 30_000 } });
    await startApply(page);
    await expect(stepStatus(page, "s3-bucket")).toHaveAttribute("data-status", "running", { timeout: 30_000 });
    await expect(stepStatus(page, "rds-iam-auth")).toHaveAttribute("data-status", "running");
    await killAndRestartServer();
    setScenario({ reset: "interrupt" });
    await page.reload();
    await expect(page.getByTestId("run-status")).toHaveText("interrupted");
    await expect(stepStatus(page, "identity")).toHaveAttribute("data-status", "succeeded");
    const resume = page.getByRole("region", { name: "Run controls" });
    await fillDbAdmin(resume);
    await resume.getByRole("button", { name: "Resume run" }).click();
    await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 60_000 });
    for (const key of STEP_KEYS) await expect(stepStatus(page, key)).toHaveAttribute("data-status", "succeeded");
  });
});

test.describe("production", () => {
  test.use({ storageState: ADMIN_STATE });
  let prodPath = "";

  test("apply asks for the environment's name; nothing starts without it", async ({ page }) => {
    if (doubledAws) setScenario({});
    prodPath = await completeWizard(page, "production", pgRole("studio_iam_prod"));
    const runsBefore = await page.request.get("/runs").then((r) => r.text());
    const form = page.getByRole("form", { name: "Apply or verify" });
    await fillDbAdmin(form);
    await form.getByLabel("Type production to confirm").fill("staging");
    await form.getByRole("button", { name: "Apply the plan" }).click();
    await expect(page.getByText('Type production to confirm must be "production" to apply to this environment')).toBeVisible();
    await expect(page).toHaveURL(/\/plan$/);
    const runsAfter = await page.request.get("/runs").then((r) => r.text());
    expect(runsAfter.split('data-testid="run-status"').length).toBe(runsBefore.split('data-testid="run-status"').length);
  });

  test("the password is not sent without verified TLS until the admin confirms it; the form says where it goes", async ({ page }) => {
    await page.goto(`${prodPath}/plan`);
    const form = page.getByRole("form", { name: "Apply or verify" });
    await expect(form.getByTestId("db-connection")).toContainText("TLS");
    await form.getByLabel("DB admin user").fill("postgres");
    await form.getByLabel("DB admin password").fill(DB_ADMIN_PASSWORD);
    await form.getByLabel("Type production to confirm").fill("production");
    const runsBefore = await page.request.get("/runs").then((r) => r.text());
    await form.getByRole("button", { name: "Apply the plan" }).click();
    await expect(form.getByText(/^must be ticked to send the DB admin password without verified TLS/)).toBeVisible();
    await expect(form.getByLabel("Send the password without verified TLS")).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/\/plan$/);
    const runsAfter = await page.request.get("/runs").then((r) => r.text());
    expect(runsAfter.split('data-testid="run-status"').length).toBe(runsBefore.split('data-testid="run-status"').length);
  });

  test("apply without DB credentials; a DBA runs grants.sql by hand; the grants step is verified and marked done", async ({ page }) => {
    if (doubledAws) setScenario({});
    await page.goto(`${prodPath}/plan`);
    const form = page.getByRole("form", { name: "Apply or verify" });
    await form.getByLabel("Type production to confirm").fill("production");
    await form.getByRole("button", { name: "Apply the plan" }).click();
    await expect(page).toHaveURL(/\/runs\/[^/]+$/);
    await expect(page.getByTestId("run-status")).toHaveText("failed", { timeout: 90_000 });
    for (const key of STEP_KEYS.filter((k) => k !== "db-grants")) await expect(stepStatus(page, key)).toHaveAttribute("data-status", "succeeded");
    await expect(stepStatus(page, "db-grants")).toContainText("the DB admin");

    // Verifying before the DBA ran anything is refused, and names what is missing.
    const byHand = page.getByRole("form", { name: "Grants run by hand" });
    await fillDbAdmin(byHand);
    await byHand.getByRole("button", { name: "Verify grants run by hand" }).click();
    await expect(stepStatus(page, "db-grants")).toContainText(`still to do: database user ${pgRole("studio_iam_prod")}`, { timeout: 30_000 });

    // The DBA's psql session, here through the pg driver: the downloaded script as one simple query.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "grants.sql" }).click()]);
    const sql = fs.readFileSync((await download.path())!, "utf8");
    const url = new URL(process.env.PG_TEST_URL || "postgres://postgres@127.0.0.1:5432/postgres");
    url.pathname = `/${pgDatabase()}`;
    const dba = new pg.Client({ connectionString: url.toString() });
    await dba.connect();
    await dba.query(sql);
    await dba.end();

    await fillDbAdmin(byHand);
    await byHand.getByRole("button", { name: "Verify grants run by hand" }).click();
    await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 60_000 });
    await expect(stepStatus(page, "db-grants")).toHaveAttribute("data-status", "succeeded");
    await expect(page.getByRole("log", { name: "Run log" })).toContainText("verified by read-back, nothing left to do (no statement was run)");
    await page.goto(prodPath);
    await expect(page.getByTestId("env-state")).toHaveText("done");
  });

  test("a running apply is cancelled between actions", async ({ page }) => {
    test.skip(!doubledAws, "needs the AWS double to hold a call open");
    // The account is read first (HeadBucket among it), before any step starts: cancelled while reading.
    setScenario({ delayMs: { HeadBucket: 8_000 } });
    await page.goto(`${prodPath}/plan`);
    const form = page.getByRole("form", { name: "Apply or verify" });
    await fillDbAdmin(form);
    await form.getByLabel("Type production to confirm").fill("production");
    await form.getByRole("button", { name: "Apply the plan" }).click();
    await expect(page).toHaveURL(/\/runs\/[^/]+$/);
    await expect(page.getByRole("log", { name: "Run log" })).toContainText("Reading the account", { timeout: 30_000 });
    await page.getByRole("button", { name: "Cancel run" }).click();
    await expect(page.getByTestId("run-status")).toHaveText("cancelled", { timeout: 30_000 });
    await expect(stepStatus(page, "discover")).toHaveAttribute("data-status", "cancelled");
    await expect(stepStatus(page, "s3-bucket")).toHaveAttribute("data-status", "cancelled");
    setScenario({});
  });
});

test.describe("as a viewer", () => {
  test.use({ storageState: VIEWER_STATE });

  test("sees progress and history, no mutating controls", async ({ page }) => {
    await page.goto("/environments");
    await page.getByRole("link", { name: "staging" }).click();
    await expect(page.getByRole("link", { name: /Edit settings|Continue the wizard/ })).toHaveCount(0);
    await page.goto(`${envPath}/plan`);
    await expect(page.getByTestId("plan-summary")).toBeVisible();
    await expect(page.getByRole("button", { name: "Apply the plan" })).toHaveCount(0);
    await page.goto("/runs");
    const runs = page.getByTestId("run-status");
    expect(await runs.count()).toBeGreaterThan(0);
    await page.getByRole("link", { name: /^[a-z0-9]{8}$/ }).first().click();
    await expect(page.getByRole("log", { name: "Run log" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Run controls" })).toHaveCount(0);
    await page.goto(`${envPath}/wizard/account`);
    await expect(page.getByText("Editing an environment needs the admin role.")).toBeVisible();
  });

  test("a forged apply is refused by the server", async ({ page, browser }) => {
    const admin = await browser.newContext({ storageState: ADMIN_STATE });
    const adminPage = await admin.newPage();
    await adminPage.goto(`${envPath}/plan`);
    const fields = await adminPage.locator('form[aria-label="Apply or verify"] input[type="hidden"]').evaluateAll((els) =>
      Object.fromEntries(els.map((e) => [(e as HTMLInputElement).name, (e as HTMLInputElement).value])),
    );
    await admin.close();
    const before = await page.request.get("/runs").then((r) => r.text());
    const res = await page.request.post(`${envPath}/plan`, {
      multipart: { ...fields, dbAdminUser: "postgres", dbAdminPassword: "x" },
    });
    expect(await res.text()).toContain("Forbidden: applying or verifying the plan requires the admin role.");
    const after = await page.request.get("/runs").then((r) => r.text());
    expect((after.match(/data-testid="run-status"/g) ?? []).length).toBe((before.match(/data-testid="run-status"/g) ?? []).length);
  });
});

test.describe("signed out", () => {
  test("every page and route of an environment and a run refuses", async ({ browser, playwright }) => {
    const admin = await browser.newContext({ storageState: ADMIN_STATE });
    const adminPage = await admin.newPage();
    await adminPage.goto("/runs");
    await adminPage.getByRole("link", { name: /^[a-z0-9]{8}$/ }).first().click();
    await adminPage.waitForURL(/\/runs\/[^/]+$/);
    const runPath = new URL(adminPage.url()).pathname;
    await admin.close();

    const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await anonymous.newPage();
    for (const path of [
      "/permissions",
      envPath,
      `${envPath}/plan`,
      `${envPath}/values`,
      `${envPath}/wizard/account`,
      `${envPath}/wizard/review`,
      runPath,
    ]) {
      await page.goto(path);
      await expect(page, path).toHaveURL(/\/sign-in(\?|$)/);
    }
    await anonymous.close();

    const api = await playwright.request.newContext({ baseURL: process.env.E2E_BASE_URL, storageState: { cookies: [], origins: [] } });
    for (const path of [`${runPath}/events`, `${envPath}/values.yaml`, `${envPath}/grants.sql`, `${envPath}/plan/aws-cli.sh`]) {
      const res = await api.get(path, { maxRedirects: 0 });
      expect(res.status(), path).toBe(401);
    }
    await api.dispose();
  });
});
