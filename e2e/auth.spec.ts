// Sign-in, sign-out, every page behind the session, and the server refusing a viewer's forged admin action.
import { expect, test } from "@playwright/test";
import { ADMIN, ADMIN_STATE, PAGE_ROUTES, VIEWER, VIEWER_STATE } from "./support/users";

test.describe("signed out", () => {
  for (const route of PAGE_ROUTES) {
    test(`${route} sends to the sign-in page`, async ({ page }) => {
      await page.goto(route);
      await expect(page).toHaveURL(/\/sign-in(\?|$)/);
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    });
  }

  test("health is open and says nothing else", async ({ request }) => {
    const res = await request.get("/api/health");
    expect(res.status()).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  test("a wrong password is refused with a message; the right one signs in with a safe cookie", async ({ page, context }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Username").fill(ADMIN.username);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Wrong username or password." })).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in/);
    expect((await context.cookies()).find((c) => c.name === "studio_session")).toBeUndefined();

    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/environments$/);
    const cookie = (await context.cookies()).find((c) => c.name === "studio_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    expect(cookie!.expires * 1000 - Date.now()).toBeGreaterThan(11.9 * 3600 * 1000);
    expect(cookie!.expires * 1000 - Date.now()).toBeLessThanOrEqual(12 * 3600 * 1000);
  });

  test("the sign-in page comes back to where you were going", async ({ page }) => {
    await page.goto("/sign-in?next=%2Faudit");
    await page.getByLabel("Username").fill(VIEWER.username);
    await page.getByLabel("Password").fill(VIEWER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/audit$/);
  });
});

test.describe("never sends you elsewhere", () => {
  for (const next of ["%2F%5Cevil.example", "%2F%2Fevil.example", "https%3A%2F%2Fevil.example", "%2F%09%2Fevil.example"]) {
    test(`after sign-in with next=${next}`, async ({ page }) => {
      await page.goto(`/sign-in?next=${next}`);
      await page.getByLabel("Username").fill(VIEWER.username);
      await page.getByLabel("Password").fill(VIEWER.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/environments$/);
    });
  }
});

test.describe("as a viewer", () => {
  test.use({ storageState: VIEWER_STATE });

  test("sees every page but no admin controls", async ({ page }) => {
    for (const route of PAGE_ROUTES) {
      await page.goto(route);
      await expect(page.getByTestId("current-role")).toHaveText("viewer");
    }
    await page.goto("/users");
    await expect(page.getByRole("cell", { name: ADMIN.username })).toBeVisible();
    await expect(page.getByRole("button", { name: "Add user" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Set role" })).toHaveCount(0);
    await page.goto("/environments");
    await expect(page.getByTestId("admin-controls")).toHaveCount(0);
  });

  test("a forged admin action is refused by the server", async ({ page, browser }) => {
    // Take the real "Add user" form, fields and action id included, from an admin's page ...
    const admin = await browser.newContext({ storageState: ADMIN_STATE });
    const adminPage = await admin.newPage();
    await adminPage.goto("/users");
    const fields = await adminPage.locator('form[aria-label="Add user"] input[type="hidden"]').evaluateAll((els) =>
      Object.fromEntries(els.map((e) => [(e as HTMLInputElement).name, (e as HTMLInputElement).value])),
    );
    expect(Object.keys(fields).some((k) => k.startsWith("$ACTION"))).toBe(true);

    // ... and post it with the viewer's session, as a no-JS form submission would.
    const res = await page.request.post("/users", {
      multipart: { ...fields, username: "forged-admin", password: "forged-password-123", role: "admin" },
    });
    expect(await res.text()).toContain("Forbidden: adding a user requires the admin role.");

    await adminPage.reload();
    await expect(adminPage.getByRole("cell", { name: "forged-admin" })).toHaveCount(0);
    await admin.close();
  });
});

test.describe("signing out", () => {
  // A session of its own: signing out ends it, and the saved admin session must outlive this test.
  test("ends the session, and the old cookie no longer works", async ({ page, context }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Username").fill(ADMIN.username);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/environments$/);
    await page.goto("/users");
    const before = (await context.cookies()).find((c) => c.name === "studio_session")!;
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    // Replaying the old cookie gets nothing: the session row is gone.
    await context.addCookies([before]);
    await page.goto("/users");
    await expect(page).toHaveURL(/\/sign-in/);
  });
});
