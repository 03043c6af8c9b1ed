// EKS Pod Identity chosen in the wizard, through the plan and the apply: the agent and one association per service
// account instead of an OIDC provider, and Helm values without role annotations.
import { expect, test } from "@playwright/test";
import { applyPlanToSuccess } from "./support/db-admin";
import { ADMIN_STATE } from "./support/users";
import { doubledAws, pgRole, screenshot, setScenario } from "./support/harness";
import { wizardToStorage } from "./support/wizard";


test.use({ storageState: ADMIN_STATE });

test("the wizard's Pod Identity choice leads to associations in the plan, an apply that makes them, and values without annotations", async ({ page }) => {
  test.skip(!doubledAws, "emulators do not serve EKS pod identity associations; the AWS double does");
  setScenario({});
  await wizardToStorage(page, "podid", pgRole("studio_iam_pod"));
  await page.getByLabel("Models are already on S3").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByLabel("EKS Pod Identity").check();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByTestId("summary-identityMode")).toHaveText("EKS Pod Identity");
  await page.getByRole("button", { name: "Save and review the plan" }).click();
  await expect(page).toHaveURL(/\/plan$/);

  // The plan: the agent and the four associations; no OIDC provider at all.
  const pod = page.getByTestId("plan-step-pod-identity");
  await expect(pod).toContainText("EKS add-on eks-pod-identity-agent of cluster studio-eks");
  await expect(pod.locator('[data-action="create"]')).toHaveCount(5);
  await expect(pod).toContainText("pod identity association rasa/studio-model-service");
  await expect(page.getByTestId("plan-step-oidc-provider")).toHaveCount(0);
  await screenshot(page, "plan-pod-identity");

  await applyPlanToSuccess(page);
  await expect(page.getByTestId("step-pod-identity")).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("step-oidc-provider")).toHaveAttribute("data-status", "skipped");
  await expect(page.getByRole("log", { name: "Run log" })).toContainText("created pod identity association rasa/studio-backend");

  const envPath = new URL(await page.getByRole("link", { name: "podid" }).getAttribute("href") ?? "", page.url()).pathname;
  await page.goto(`${envPath}/values`);
  const values = await page.getByLabel("values.yaml", { exact: true }).textContent();
  expect(values).toContain("name: studio-backend");
  expect(values).not.toContain("eks.amazonaws.com/role-arn");
  expect(values).toContain("gets the RDS role from its EKS pod identity association");
});
