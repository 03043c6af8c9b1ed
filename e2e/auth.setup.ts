// First start: create the first admin with the printed one-time token, add a viewer, save both sessions.
import { expect, test as setup } from "@playwright/test";
import { ADMIN, ADMIN_STATE, VIEWER, VIEWER_STATE } from "./support/users";
import { setupPath } from "./support/server-log";
import { doubledAws } from "./support/harness";
import { createEmulatorFixtures } from "./support/emulator-fixtures";

setup("first admin through the one-time setup link, then a viewer", async ({ page, browser }) => {
  if (!doubledAws) await createEmulatorFixtures();
  // Without the token the setup page refuses.
  await page.goto("/setup");
  await expect(page.getByRole("alert").filter({ hasText: "missing its token" })).toBeVisible();
  await page.goto("/setup?token=not-the-token");
  await expect(page.getByRole("alert").filter({ hasText: "no longer valid" })).toBeVisible();

  await page.goto(setupPath());
  await page.getByLabel("Admin username").fill(ADMIN.username);
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Confirm password").fill("short");
  await page.getByRole("button", { name: "Create admin" }).click();
  await expect(page.getByText("Password must be at least 12 characters")).toBeVisible();

  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByLabel("Confirm password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create admin" }).click();
  await expect(page).toHaveURL(/\/environments$/);
  await expect(page.getByTestId("current-user")).toHaveText(ADMIN.username);
  await expect(page.getByTestId("current-role")).toHaveText("admin");

  // The link works once.
  const again = await browser.newPage();
  await again.goto(setupPath());
  await expect(again).toHaveURL(/\/sign-in/);
  await again.close();

  await page.getByRole("link", { name: "Users" }).click();
  await page.getByLabel("Username").fill(VIEWER.username);
  await page.getByLabel("Initial password").fill(VIEWER.password);
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByRole("status").filter({ hasText: `User ${VIEWER.username} added as viewer` })).toBeVisible();
  await page.context().storageState({ path: ADMIN_STATE });

  const viewer = await browser.newContext();
  const vp = await viewer.newPage();
  await vp.goto("/sign-in");
  await vp.getByLabel("Username").fill(VIEWER.username);
  await vp.getByLabel("Password").fill(VIEWER.password);
  await vp.getByRole("button", { name: "Sign in" }).click();
  await expect(vp.getByTestId("current-role")).toHaveText("viewer");
  await viewer.storageState({ path: VIEWER_STATE });
  await viewer.close();
});
