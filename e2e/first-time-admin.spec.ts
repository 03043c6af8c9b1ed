// A first-time admin gets through without guessing (issue 14): the wizard's own words for empty fields, the
// region from the SDK's configuration, the database name found in AWS, a complete review with human labels and
// edit links; a plan whose counts match what it shows, with one credentials panel; a run page with step titles,
// a final banner and a log that filters, copies and downloads; values whose merged download has its own name and
// keeps the admin's formatting byte for byte; and the audit log with a failed sign-in and a refused action.
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { fillDbAdmin } from "./support/db-admin";
import { doubledAws, pgDatabase, pgRole, screenshot, setScenario } from "./support/harness";
import { ADMIN, ADMIN_STATE, VIEWER_STATE } from "./support/users";

test.describe.configure({ mode: "serial" });

const ENV = "firsttime";
let envPath = "";
let runPath = "";

async function fieldError(page: Page, text: string) {
  await expect(page.getByText(text, { exact: true })).toBeVisible();
}

test.describe("as a first-time admin", () => {
  test.use({ storageState: ADMIN_STATE });

  test("the wizard says what each field needs, fills in what AWS knows, and reviews every setting by its label", async ({ page }) => {
    if (doubledAws) setScenario({});
    await page.goto("/environments");
    await page.getByLabel("New environment name").fill(ENV);
    await page.getByRole("button", { name: "Create and start the wizard" }).click();
    await expect(page).toHaveURL(/\/wizard\/account$/);
    envPath = new URL(page.url()).pathname.replace(/\/wizard\/account$/, "");

    // The region is really filled in (from the SDK's configured region, AWS_REGION here) and says where it came from.
    await expect(page.getByLabel("AWS region")).toHaveValue(process.env.AWS_REGION || "eu-west-1");
    await expect(page.getByTestId("region-source")).toContainText("Filled in from the AWS SDK's configured region");
    await expect(page.getByLabel("AWS region")).not.toHaveAttribute("placeholder", /.+/);

    // Submitted empty: the console's own sentence for each field, focus on the first one; never zod's text.
    await page.getByLabel("AWS region").fill("");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await fieldError(page, "AWS region is required: the region code where the EKS cluster, the database and the bucket live, for example eu-west-1");
    await fieldError(page, "EKS cluster name is required: the name of the EKS cluster Studio runs in (eks:ListClusters offers the ones it can see)");
    await expect(page.getByLabel("AWS region")).toBeFocused();
    await expect(page.locator("body")).not.toContainText("Invalid input");
    await expect(page.locator("body")).not.toContainText("received undefined");
    await screenshot(page, "first-time-wizard-account-errors");
    await page.getByLabel("AWS region").fill("eu-west-1");
    await page.getByLabel("EKS cluster name").fill("studio-eks");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page).toHaveURL(/wizard\/database$/);

    // Database page: choices as described radio cards; the database name found in AWS, marked so, still editable.
    const kind = page.getByRole("group", { name: "Database kind" });
    await expect(kind.getByLabel("RDS DB instance")).toBeChecked();
    await expect(kind.getByLabel("Aurora DB cluster")).not.toBeChecked();
    await expect(page.getByRole("group", { name: "TLS to the database" }).getByLabel("Verified TLS: verify-full (recommended)")).toBeChecked();
    await page.getByLabel("DB instance or cluster identifier").fill("studio-db");
    if (doubledAws) {
      await expect(page.getByLabel("Database name")).toHaveValue("studio");
      await expect(page.getByTestId("found-databaseName")).toContainText("Found in AWS: RDS reports studio as the database created with studio-db (DBName)");
      await expect(page.getByTestId("found-masterUsername")).toContainText("the master user of studio-db is postgres (MasterUsername)");
      await expect(page.getByLabel("Original database user")).toHaveValue("");
    }
    await screenshot(page, "first-time-wizard-database");
    await page.getByLabel("Database name").fill(pgDatabase());
    await expect(page.getByTestId("found-databaseName")).toHaveCount(0);
    await page.getByLabel("IAM database user").fill(pgRole("studio_iam_first"));
    await page.getByLabel("Host override").fill("127.0.0.1");
    await page.getByLabel("Port override").fill("5432");
    await page.getByLabel("Off: no TLS (not recommended)").check();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page).toHaveURL(/wizard\/storage$/);

    // Storage: the situation left unanswered gets a sentence, not the stored codes.
    await page.getByRole("button", { name: "Save and continue" }).click();
    await fieldError(page, "Where are your models today? is required: choose where Studio's models are today");
    await expect(page.locator("body")).not.toContainText("already-s3, copy-from-pv");
    await page.getByLabel("Models are already on S3").check();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page).toHaveURL(/wizard\/helm$/);
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page).toHaveURL(/wizard\/review$/);

    // Review: every setting by its label, grouped like the wizard, in words, each group with an Edit link.
    for (const group of ["AWS account and cluster", "Database", "Model storage", "Service accounts and Helm"])
      await expect(page.getByRole("link", { name: `Edit ${group}` })).toBeVisible();
    await expect(page.getByRole("link", { name: "Edit Database" })).toHaveAttribute("href", `${envPath}/wizard/database`);
    const expected: Record<string, string> = {
      dbKind: "RDS DB instance",
      dbHostOverride: "127.0.0.1:5432 (host/port override)",
      dbTls: "Off: no TLS (not recommended)",
      dbCaBundle: "The RDS CA bundles (default)",
      rdsWaitTimeoutMinutes: "20 minutes",
      releaseName: "studio",
      storageSituation: "Already on S3",
      trustScope: "Only Studio's service accounts",
      identityMode: "IRSA: IAM roles for service accounts",
      ownerAccess: "Member of the original user's role",
      databaseName: pgDatabase(),
    };
    for (const [key, text] of Object.entries(expected)) await expect(page.getByTestId(`summary-${key}`), key).toHaveText(text);
    const review = await page.locator("main").innerText();
    for (const raw of ["already-s3", "service-accounts", "verify-full or disable"]) expect(review, raw).not.toContain(raw);
    await screenshot(page, "first-time-wizard-review");
    await page.getByRole("button", { name: "Save and review the plan" }).click();
    await expect(page).toHaveURL(/\/plan$/);
  });

  test("the plan counts what the admin will see, draws what will exist, and asks for the DB admin once", async ({ page }) => {
    await page.goto(`${envPath}/plan`);
    const summary = await page.getByTestId("plan-summary").innerText();
    const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(summary)?.[1]);
    // The summary's numbers are the rows shown at top level; temporary steps are inside the change they serve.
    for (const [action, word] of [
      ["create", "to create"],
      ["update", "to update"],
      ["unchanged", "unchanged"],
    ] as const) {
      const rows = await page.locator(`[data-testid="plan-change"][data-action="${action}"]:not([data-serves])`).count();
      expect(rows, action).toBe(count(word));
    }
    const nested = page.locator('[data-testid="plan-change"][data-serves]');
    for (const el of await nested.all()) await expect(el.locator("xpath=ancestor::*[@data-testid='plan-temporary']")).toHaveCount(1);

    // The diagram: provider → roles → database user / bucket, each marked in words.
    const diagram = page.getByTestId("plan-diagram");
    await expect(diagram).toBeVisible();
    if (doubledAws) {
      await expect(page.getByTestId("diagram-rds-role")).toHaveAttribute("data-mark", "create");
      await expect(page.getByTestId("diagram-rds-role")).toContainText("create");
      await expect(page.getByTestId("diagram-bucket")).toHaveAttribute("data-mark", "create");
    }
    await expect(diagram).toContainText(`studio-${ENV}-rds-role`);

    // One credentials panel serves Apply and Verify.
    await expect(page.getByLabel("DB admin password")).toHaveCount(1 + (await page.getByRole("form", { name: "Refresh plan" }).getByLabel("DB admin password").count()));
    const panel = page.getByRole("form", { name: "Apply or verify" });
    await expect(panel.getByLabel("DB admin password")).toHaveCount(1);
    await expect(panel.getByRole("button", { name: "Apply the plan" })).toBeVisible();
    await expect(panel.getByRole("button", { name: "Verify by read-back" })).toBeVisible();
    await expect(page.getByRole("form", { name: "Verify by read-back" })).toHaveCount(0);
    await screenshot(page, "first-time-plan");

    // A refused start moves focus to the field in error (here: the unticked TLS acknowledgement).
    await panel.getByLabel("DB admin user").fill("postgres");
    await panel.getByLabel("DB admin password").fill("x-not-sent");
    await panel.getByRole("button", { name: "Apply the plan" }).click();
    await expect(panel.getByLabel("Send the password without verified TLS")).toBeFocused();

    await fillDbAdmin(panel);
    await panel.getByRole("button", { name: "Apply the plan" }).click();
    await expect(page).toHaveURL(/\/runs\/[^/]+$/);
    runPath = new URL(page.url()).pathname;
  });

  test("the run page names steps by title, ends with a banner saying what to do next, and its log filters, copies and downloads", async ({ page }) => {
    await page.goto(runPath);
    await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 90_000 });
    const steps = page.getByRole("list", { name: "Steps" });
    await expect(steps).toContainText("Check the AWS identity");
    await expect(steps).toContainText("Set up the S3 bucket");
    expect(await steps.innerText()).not.toMatch(/\b(db-grants|s3-bucket|rds-role)\b/);
    // Each state in words with an icon, not a bar that reads as done.
    await expect(page.getByTestId("step-identity")).toContainText("✔");
    await expect(page.getByTestId("step-identity").locator("progress")).toHaveCount(0);
    // No empty controls frame after a success; the banner says what comes next.
    await expect(page.getByRole("region", { name: "Run controls" })).toHaveCount(0);
    const outcome = page.getByTestId("run-outcome");
    await expect(outcome).toHaveAttribute("data-outcome", "succeeded");
    await expect(outcome).toContainText("Applied: AWS and the database are ready");
    await expect(outcome.getByRole("link", { name: "Download the Helm values" })).toHaveAttribute("href", `${envPath}/values`);
    await expect(outcome).toContainText("helm upgrade");
    await expect(page.getByTestId("run-elapsed")).toContainText(/^Took \d/);
    await expect(page.getByTestId("run-updates")).not.toContainText("Reconnecting");
    await screenshot(page, "first-time-run");

    // The log: by step (its title), by level, copy what is shown, download all as text.
    const log = page.getByRole("log", { name: "Run log" });
    await page.getByLabel("Show the log of").selectOption({ label: "Set up the S3 bucket" });
    const lines = await log.locator("p").allInnerTexts();
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toContain("[Set up the S3 bucket]");
    await page.getByLabel("Log level").selectOption("error");
    await expect(log).toContainText("No lines match these filters.");
    await page.getByLabel("Show the log of").selectOption("all");
    await page.getByLabel("Log level").selectOption("all");
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.getByRole("button", { name: "Copy shown lines" }).click();
    await expect(page.getByTestId("log-copied")).toHaveText(/^Copied \d+ lines\.$/);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain("[Check the AWS identity]");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download log as text" }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${ENV}-apply-[a-z0-9]{8}-log\\.txt$`));
    const text = fs.readFileSync((await download.path())!, "utf8");
    expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\S+ INFO  \[/m);
    expect(text).toContain("[Set up the S3 bucket]");
  });

  test("values: the copy button leaves long commands readable, the merge keeps formatting byte for byte under its own name, grants.sql matches TLS", async ({ page }) => {
    await page.goto(`${envPath}/values`);
    // The helm command's end is not under the Copy button.
    const helm = page.locator('pre[aria-label="Upgrade the release"]');
    const copy = page.getByRole("button", { name: "Copy Upgrade the release" });
    await expect(helm).toContainText(`-f ${ENV}-values.yaml`);
    const [pre, button] = [await helm.boundingBox(), await copy.boundingBox()];
    expect(pre && button).toBeTruthy();
    expect(button!.y + button!.height, "the Copy button sits above the command").toBeLessThanOrEqual(pre!.y + 1);
    await expect(page.getByTestId("merged-file-name")).toHaveText(`${ENV}-values.merged.yaml`);

    const existing = [
      "# our settings",
      "global:",
      "  domain: studio.example.com  # two spaces, as yamllint wants",
      "  replicas: 2    # aligned",
      "config:",
      "  database:",
      '    useAwsIamAuth: ""  # the console sets this',
      "rasa:",
      "  rasa:",
      "    overrideEnv:",
      "      - name: BUCKET_NAME",
      "        value: old-bucket",
      "",
    ].join("\n");
    await page.getByRole("textbox", { name: "Existing values.yaml" }).fill(existing);
    await page.getByRole("button", { name: "Preview the merge" }).click();
    const diff = page.getByTestId("values-diff");
    await expect(diff).toContainText("+         value: studio-shared-storage-firsttime");
    // No whitespace-only changes: the lines with comments are not in the diff as removed.
    const removed = (await diff.locator("div").allInnerTexts()).filter((l) => l.startsWith("- "));
    for (const l of removed) expect(l).not.toContain("two spaces");
    expect(removed.some((l) => l.includes("# aligned"))).toBe(false);
    await screenshot(page, "first-time-values");
    const [merged] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download the merged values.yaml" }).click()]);
    expect(merged.suggestedFilename()).toBe(`${ENV}-values.merged.yaml`);
    const mergedText = fs.readFileSync((await merged.path())!, "utf8");
    for (const line of ["# our settings", "  domain: studio.example.com  # two spaces, as yamllint wants", "  replicas: 2    # aligned"])
      expect(mergedText.split("\n")).toContain(line);
    expect(mergedText).toContain('useAwsIamAuth: "true"  # the console sets this');
    const plain = await page.request.get(`${envPath}/values.yaml`);
    expect(plain.headers()["content-disposition"]).toBe(`attachment; filename="${ENV}-values.yaml"`);

    // grants.sql's example connection matches this environment's TLS (off) and says why verify-full is recommended.
    const sql = await (await page.request.get(`${envPath}/grants.sql`)).text();
    expect(sql).toContain("sslmode=disable");
    expect(sql).toContain("Anywhere else use sslmode=verify-full sslrootcert=global-bundle.pem");
  });
});

test.describe("the audit log", () => {
  test("records a failed sign-in and a viewer's refused apply; filters by user, action and environment; exports CSV", async ({ browser }) => {
    // A failed sign-in, from a fresh browser.
    const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const signIn = await anonymous.newPage();
    await signIn.goto("/sign-in");
    await signIn.getByLabel("Username").fill(ADMIN.username);
    await signIn.getByLabel("Password").fill("not-the-password-14");
    await signIn.getByRole("button", { name: "Sign in" }).click();
    await expect(signIn.getByRole("alert").filter({ hasText: "Wrong username or password." })).toBeVisible();
    await anonymous.close();

    // A viewer's forged apply: the admin's form fields posted with the viewer's session.
    const admin = await browser.newContext({ storageState: ADMIN_STATE });
    const adminPage = await admin.newPage();
    await adminPage.goto(`${envPath}/plan`);
    const fields = await adminPage.locator('form[aria-label="Apply or verify"] input[type="hidden"]').evaluateAll((els) =>
      Object.fromEntries(els.map((e) => [(e as HTMLInputElement).name, (e as HTMLInputElement).value])),
    );
    const viewer = await browser.newContext({ storageState: VIEWER_STATE });
    const res = await viewer.request.post(`${envPath}/plan`, { multipart: { ...fields, intent: "apply", dbAdminUser: "postgres", dbAdminPassword: "x" } });
    expect(await res.text()).toContain("Forbidden: applying or verifying the plan requires the admin role.");
    await viewer.close();

    // Filtered by action: the failed sign-in, with the reason and never the password.
    await adminPage.goto("/audit");
    await adminPage.getByLabel("Action").selectOption("user.sign-in-failed");
    await adminPage.getByRole("button", { name: "Filter" }).click();
    await expect(adminPage).toHaveURL(/action=user\.sign-in-failed/);
    const rows = adminPage.getByRole("row");
    await expect(rows.filter({ hasText: ADMIN.username }).first()).toContainText('"reason":"invalid"');
    expect(await adminPage.content()).not.toContain("not-the-password-14");
    for (const a of await adminPage.getByTestId("audit-action").allInnerTexts()) expect(a).toBe("user.sign-in-failed");

    // Filtered by environment and action: the refused apply, linked to the environment.
    await adminPage.goto("/audit");
    await adminPage.getByLabel("Environment").selectOption({ label: ENV });
    await adminPage.getByLabel("Action").selectOption("action.refused");
    await adminPage.getByRole("button", { name: "Filter" }).click();
    const refused = adminPage.getByRole("row").filter({ hasText: "action.refused" }).first();
    await expect(refused).toContainText("e2e-viewer");
    await expect(refused).toContainText('"refused":"applying or verifying the plan"');
    await expect(refused.getByRole("link", { name: ENV })).toBeVisible();
    await screenshot(adminPage, "first-time-audit");

    // Filtered by user; and the same selection as CSV.
    await adminPage.goto("/audit?user=e2e-viewer");
    for (const a of await adminPage.getByRole("row").filter({ hasNot: adminPage.locator("th") }).allInnerTexts()) expect(a).toContain("e2e-viewer");
    const [csv] = await Promise.all([adminPage.waitForEvent("download"), adminPage.getByRole("link", { name: "Export these entries as CSV" }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
    const csvText = fs.readFileSync((await csv.path())!, "utf8");
    expect(csvText.split("\r\n")[0]).toBe('"id","time (UTC)","user","action","environment","detail"');
    expect(csvText).toContain('"e2e-viewer","action.refused"');
    expect(csvText).not.toContain('"e2e-admin"');
    await admin.close();

    // Signed out, the export is refused.
    const api = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    expect((await api.request.get("/audit/export.csv")).status()).toBe(401);
    await api.close();
  });
});
