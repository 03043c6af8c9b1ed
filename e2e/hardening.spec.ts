// Hardening, as a browser meets it: redirects after sign-in, the security headers and their nonces, https
// behind a trusted proxy (HSTS, the __Host- cookie), sign-in throttling per (user, address), the paste box's
// size check, a user's lifecycle (reset → forced change, disable), and the run page without an event stream.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { ADMIN, ADMIN_STATE, VIEWER } from "./support/users";
import { finishRun, insertEnvironment, insertRun } from "./support/job-store";

const SETTINGS = {
  region: "eu-west-1",
  clusterName: "studio-eks",
  dbIdentifier: "studio-db",
  databaseName: "studio",
  bucketName: "studio-shared-storage-hardening",
  storageSituation: "already-s3",
  rdsRoleName: "studio-hardening-rds-role",
  s3RoleName: "studio-hardening-s3-role",
};

/** Fills and submits the sign-in form, and waits for the server's answer (the form resets after each). */
async function signIn(page: Page, username: string, password: string, settle = true) {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/sign-in"),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
  if (!settle) return;
  // Settled: the form is idle again ("Sign in", not "Signing in…"), or the console took over.
  await expect(
    page
      .getByRole("button", { name: "Sign in", exact: true })
      .or(page.getByRole("navigation", { name: "Main" }))
      .or(page.getByRole("heading", { name: "Change your password" }))
      .first(),
  ).toBeVisible();
}

/** A fresh browser context whose requests arrive as if forwarded by the trusted proxy (127.0.0.1, see e2e.mjs). */
async function viaProxy(browser: Browser, headers: Record<string, string>) {
  const context = await browser.newContext({ extraHTTPHeaders: headers });
  return { context, page: await context.newPage() };
}

test.describe("after sign-in, never elsewhere", () => {
  // Each became `//evil.example/...` once its dot segments were resolved, after the old check had passed.
  for (const next of ["%2F.%2F%2Fevil.example%2Fx", "%2Fx%2F..%2F%2Fevil.example", "%2F%252e%2F%2Fevil.example", "%2F%2e%2F%2Fevil.example"]) {
    test(`next=${next}`, async ({ page }) => {
      await page.goto(`/sign-in?next=${next}`);
      await signIn(page, VIEWER.username, VIEWER.password, false);
      await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/environments$/);
    });
  }
});

test.describe("security headers", () => {
  test("each page has a nonce-based CSP that its own scripts carry, and runs without a single violation", async ({ browser }) => {
    const context = await browser.newContext({ storageState: ADMIN_STATE });
    await context.addInitScript(() => {
      (window as unknown as { __violations: string[] }).__violations = [];
      document.addEventListener("securitypolicyviolation", (e) =>
        (window as unknown as { __violations: string[] }).__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    const page = await context.newPage();
    const envId = insertEnvironment("csp-check", SETTINGS);
    const nonces = new Set<string>();
    for (const path of ["/environments", "/runs", "/audit", "/users", "/permissions", `/environments/${envId}/values`]) {
      const res = await page.goto(path);
      const csp = res!.headers()["content-security-policy"];
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/base-uri 'none'/);
      expect(csp).toMatch(/form-action 'self'/);
      expect(csp).toMatch(/object-src 'none'/);
      const nonce = csp.match(/'nonce-([^']+)'/)![1];
      nonces.add(nonce);
      // Every script Next.js rendered into the page carries this response's nonce.
      const scriptNonces = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
      expect(scriptNonces.length).toBeGreaterThan(0);
      expect(new Set(scriptNonces), path).toEqual(new Set([nonce]));
      expect(res!.headers()["permissions-policy"]).toContain("camera=()");
      expect(res!.headers()["strict-transport-security"]).toBeUndefined();
      // The page is alive (hydrated): client navigation works.
      await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    }
    expect(nonces.size).toBe(6);
    await page.getByRole("link", { name: "Runs" }).click();
    await expect(page).toHaveURL(/\/runs$/);
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    await context.close();
  });

  test("over https behind the trusted proxy: HSTS, and the session cookie is Secure and __Host-", async ({ browser }) => {
    const { context, page } = await viaProxy(browser, { "X-Forwarded-Proto": "https" });
    const res = await page.goto("/sign-in");
    expect(res!.headers()["strict-transport-security"]).toBe("max-age=31536000");
    await signIn(page, VIEWER.username, VIEWER.password);
    await expect(page).toHaveURL(/\/environments$/);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "studio_session")).toBeUndefined();
    expect(cookies.find((c) => c.name === "__Host-studio_session")).toMatchObject({ secure: true, httpOnly: true, path: "/", sameSite: "Lax" });
    await context.close();
  });
});

test.describe("sign-in throttling", () => {
  test("is per (user, address): guesses from one client do not lock the user out elsewhere", async ({ browser }) => {
    const attacker = await viaProxy(browser, { "X-Forwarded-For": "203.0.113.66" });
    await attacker.page.goto("/sign-in");
    for (let i = 0; i < 5; i++) await signIn(attacker.page, VIEWER.username, `wrong-guess-${i}`);
    await signIn(attacker.page, VIEWER.username, VIEWER.password);
    await expect(attacker.page.getByRole("alert").filter({ hasText: "Too many failed sign-ins." })).toBeVisible();
    // The owner, signing in from another address, is not locked out.
    const owner = await viaProxy(browser, { "X-Forwarded-For": "192.0.2.10" });
    await owner.page.goto("/sign-in");
    await signIn(owner.page, VIEWER.username, VIEWER.password);
    await expect(owner.page).toHaveURL(/\/environments$/);
    await attacker.context.close();
    await owner.context.close();
  });

  test("usernames are length-capped", async ({ page }) => {
    await page.goto("/sign-in");
    await signIn(page, "a".repeat(200), "whatever-password");
    await expect(page.getByText("Username must be at most 32 characters")).toBeVisible();
  });
});

test.describe("oversize pastes", () => {
  test.use({ storageState: ADMIN_STATE });

  test("a 5 MB CA bundle in the wizard gets the field's own message", async ({ page }) => {
    const envId = insertEnvironment("wizard-paste-check", SETTINGS);
    await page.goto(`/environments/${envId}/wizard/database`);
    await page.getByRole("textbox", { name: "CA bundle (PEM)" }).evaluate((el, text) => {
      (el as HTMLTextAreaElement).value = text;
    }, `-----BEGIN CERTIFICATE-----\n${"A".repeat(5_000_000)}\n-----END CERTIFICATE-----\n`);
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.getByText("CA bundle (PEM) must be under 1 MB", { exact: true })).toBeVisible();
    await expect(page).toHaveURL(/wizard\/database$/);
  });

  test("a 5 MB paste into a short wizard box gets the field's own message, not a broken page", async ({ page }) => {
    const envId = insertEnvironment("wizard-short-paste", SETTINGS);
    await page.goto(`/environments/${envId}/wizard/account`);
    await page.getByLabel("EKS cluster name", { exact: true }).evaluate((el, text) => {
      (el as HTMLInputElement).value = text;
    }, "c".repeat(5_000_000));
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.getByText("EKS cluster name must be at most 16,384 bytes", { exact: true })).toBeVisible();
    await expect(page).toHaveURL(/wizard\/account$/);
  });

  test("a 5 MB paste gets the field's own message; the page stays", async ({ page }) => {
    const envId = insertEnvironment("paste-check", SETTINGS);
    await page.goto(`/environments/${envId}/values`);
    const box = page.getByRole("textbox", { name: "Existing values.yaml" });
    await box.evaluate((el, text) => {
      (el as HTMLTextAreaElement).value = text;
    }, "key: value\n".repeat(480_000));
    await page.getByRole("button", { name: "Preview the merge" }).click();
    await expect(page.getByText(/^Existing values\.yaml must be at most 2,000,000 bytes \(this one has 5,280,000\)$/)).toBeVisible();
    await expect(page.getByRole("heading", { name: "Merge into your values.yaml" })).toBeVisible();
    // A normal paste still merges.
    await box.fill("backend:\n  replicaCount: 3\n");
    await page.getByRole("button", { name: "Preview the merge" }).click();
    await expect(page.getByTestId("values-diff")).toContainText("replicaCount: 3");
  });
});

test.describe("a user's lifecycle", () => {
  test.describe.configure({ mode: "serial" });
  const USER = { username: "e2e-Lifecycle", password: "lifecycle-first-pw-1" };

  test("reset by an admin: sessions end, the next sign-in must choose a new password; disabled: no sign-in", async ({ browser }) => {
    const admin = await browser.newContext({ storageState: ADMIN_STATE });
    const adminPage = await admin.newPage();
    await adminPage.goto("/users");
    await adminPage.getByLabel("Username").fill(USER.username);
    await adminPage.getByLabel("Initial password").fill(USER.password);
    await adminPage.getByRole("button", { name: "Add user" }).click();
    await expect(adminPage.getByRole("status").filter({ hasText: `User ${USER.username} added as viewer` })).toBeVisible();
    // Names are case-insensitive: the same name in other letters is taken.
    await adminPage.getByLabel("Username").fill(USER.username.toLowerCase());
    await adminPage.getByLabel("Initial password").fill(USER.password);
    await adminPage.getByRole("button", { name: "Add user" }).click();
    await expect(adminPage.getByText(/is already taken \(names are case-insensitive\)/)).toBeVisible();

    const user = await browser.newContext();
    const userPage = await user.newPage();
    await userPage.goto("/sign-in");
    await signIn(userPage, USER.username.toUpperCase(), USER.password);
    await expect(userPage).toHaveURL(/\/environments$/);

    await adminPage.reload();
    await adminPage.getByText(`Manage ${USER.username}`).click();
    await adminPage.getByLabel(`Temporary password for ${USER.username}`).fill("temporary-password-9");
    await adminPage.getByRole("button", { name: "Reset password" }).click();
    await expect(adminPage.getByRole("status").filter({ hasText: `Password of ${USER.username} reset` })).toBeVisible();

    // The user's session has ended ...
    await userPage.goto("/runs");
    await expect(userPage).toHaveURL(/\/sign-in/);
    // ... and the temporary password leads to the change-password page, whatever page was asked for.
    await signIn(userPage, USER.username, "temporary-password-9");
    await expect(userPage).toHaveURL(/\/account\/password/);
    await userPage.goto("/environments");
    await expect(userPage).toHaveURL(/\/account\/password/);
    await userPage.getByLabel("Current password").fill("temporary-password-9");
    await userPage.getByLabel("New password", { exact: true }).fill("lifecycle-chosen-pw-2");
    await userPage.getByLabel("Confirm new password").fill("lifecycle-chosen-pw-2");
    await userPage.getByRole("button", { name: "Change password" }).click();
    await expect(userPage).toHaveURL(/\/environments$/);

    await adminPage.reload();
    await adminPage.getByText(`Manage ${USER.username}`).click();
    await adminPage.getByRole("button", { name: `Disable ${USER.username}` }).click();
    await expect(adminPage.getByRole("status").filter({ hasText: `${USER.username} is disabled and signed out everywhere.` })).toBeVisible();
    await userPage.goto("/environments");
    await expect(userPage).toHaveURL(/\/sign-in/);
    await signIn(userPage, USER.username, "lifecycle-chosen-pw-2");
    await expect(userPage.getByRole("alert").filter({ hasText: "This account is disabled: ask an admin." })).toBeVisible();
    await admin.close();
    await user.close();
  });

  test("an admin's own row offers a password change, not role, disable or delete controls", async ({ browser }) => {
    const admin = await browser.newContext({ storageState: ADMIN_STATE });
    const page = await admin.newPage();
    await page.goto("/users");
    // The admin's own row offers a password change, not role or removal controls.
    const own = page.getByRole("row").filter({ hasText: ADMIN.username });
    await expect(own.getByRole("link", { name: "Change your password" })).toBeVisible();
    await expect(own.getByRole("button")).toHaveCount(0);
    await admin.close();
  });
});

test.describe("the run page without an event stream", () => {
  test.use({ storageState: ADMIN_STATE });

  test("falls back to polling and shows the run ending", async ({ page }) => {
    const envId = insertEnvironment("polling-check", SETTINGS);
    const runId = insertRun(envId, "running", "running");
    // As behind a proxy that does not pass event streams through.
    await page.route("**/runs/*/events", (route) => route.abort());
    await page.goto(`/runs/${runId}`);
    await expect(page.getByTestId("run-status")).toHaveText("running");
    finishRun(runId);
    await expect(page.getByTestId("run-status")).toHaveText("succeeded");
    await expect(page.getByTestId("run-updates")).toHaveText("Finished");
    await expect(page.getByRole("log", { name: "Run log" })).toContainText("Finished elsewhere");
  });
});
