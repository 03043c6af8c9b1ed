// Accessibility: an axe-core scan of every main page finds no violations of any severity; each page is also saved
// as a screenshot artifact (test-results/screenshots).
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { screenshot } from "./support/harness";
import { ADMIN_STATE } from "./support/users";

async function expectNoSeriousViolations(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  expect(bad, `axe on ${name}`).toEqual([]);
  await screenshot(page, `a11y-${name}`);
}

test("the sign-in page", async ({ page }) => {
  await page.goto("/sign-in");
  await expectNoSeriousViolations(page, "sign-in");
});

test.describe("signed in", () => {
  test.use({ storageState: ADMIN_STATE });

  test("every main page", async ({ page }) => {
    // Sixteen pages, each loaded and scanned by axe: three times the usual time, so a busy machine is not a failure.
    test.slow();
    for (const [name, path] of [
      ["environments", "/environments"],
      ["runs", "/runs"],
      ["audit", "/audit"],
      ["audit-filtered", "/audit?action=user.sign-in"],
      ["users", "/users"],
      ["permissions", "/permissions"],
      ["account-password", "/account/password"],
    ] as const) {
      await page.goto(path);
      await expectNoSeriousViolations(page, name);
    }
    // The pages of one environment and one run, when the dashboard tests made them.
    await page.goto("/environments");
    const env = page.getByRole("link", { name: "staging" });
    if (await env.count()) {
      await env.click();
      await expectNoSeriousViolations(page, "environment");
      const base = new URL(page.url()).pathname;
      for (const [name, path] of [
        ["wizard-account", `${base}/wizard/account`],
        ["wizard-database", `${base}/wizard/database`],
        ["wizard-storage", `${base}/wizard/storage`],
        ["wizard-helm", `${base}/wizard/helm`],
        ["wizard-review", `${base}/wizard/review`],
        ["plan", `${base}/plan`],
        ["values", `${base}/values`],
      ] as const) {
        await page.goto(path);
        await expectNoSeriousViolations(page, name);
      }
      await page.goto("/runs");
      const run = page.getByRole("link", { name: /^[a-z0-9]{8}$/ }).first();
      if (await run.count()) {
        await run.click();
        await expectNoSeriousViolations(page, "run");
      }
    }
  });
});
