// Organisation rules in the browser: a permissions boundary and a role path typed in the wizard reach CreateRole
// (the plan says so), the roles IAM returns carry the path, and values.yaml annotates the service accounts with
// those ARNs; a customer managed KMS key typed for a new bucket encrypts it (SSE-KMS, bucket keys on) and the S3
// role gets the key through S3.
import { expect, test } from "@playwright/test";
import { applyPlanToSuccess } from "./support/db-admin";
import { doubledAws, pgRole, screenshot, setScenario } from "./support/harness";
import { ADMIN_STATE } from "./support/users";
import { wizardToStorage } from "./support/wizard";

test.use({ storageState: ADMIN_STATE });

// The AWS double's account; an AWS managed policy as the boundary, as SCPs often require on every new role.
const ACCOUNT = "111122223333";
const BOUNDARY = "arn:aws:iam::aws:policy/PowerUserAccess";
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

test("a boundary, a role path and a KMS key from the wizard reach the plan, AWS and values.yaml", async ({ page }) => {
  test.skip(!doubledAws, "the double's account id and managed policies are known; the live suite covers an emulator");
  setScenario({ reset: `organisation-${Date.now()}` });
  await wizardToStorage(page, "orgrules", pgRole("studio_iam_org"));
  await page.getByLabel("Models are already on S3").check();
  await page.getByLabel("KMS key ARN for SSE-KMS (optional)").fill(KEY);
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByLabel("Role path (optional)").fill("/studio/");
  await page.getByLabel("Permissions boundary ARN (optional)").fill(BOUNDARY);
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByRole("button", { name: "Save and review the plan" }).click();
  await expect(page).toHaveURL(/\/plan$/);

  // The plan shows the exact requests: CreateRole with the path and the boundary, the bucket under the key.
  const rdsRole = page.getByTestId("plan-step-rds-role");
  await expect(rdsRole).toContainText(`path /studio/; permissions boundary ${BOUNDARY}`);
  await expect(rdsRole).toContainText("iam:PutRolePermissionsBoundary");
  const bucket = page.getByTestId("plan-step-s3-bucket");
  await expect(bucket).toContainText(`"KMSMasterKeyID": "${KEY}"`);
  await expect(bucket).toContainText(`"BucketKeyEnabled": true`);
  await expect(page.getByTestId("plan-step-s3-role")).toContainText("kms:GenerateDataKey");
  await screenshot(page, "plan-organisation-rules");

  await applyPlanToSuccess(page);
  // The ARN IAM returned carries the path.
  await expect(page.getByRole("log", { name: "Run log" })).toContainText(`created IAM role arn:aws:iam::${ACCOUNT}:role/studio/`);

  const envPath = new URL((await page.getByRole("link", { name: "orgrules" }).getAttribute("href")) ?? "", page.url()).pathname;
  await page.goto(`${envPath}/values`);
  const values = await page.getByLabel("values.yaml", { exact: true }).textContent();
  expect(values).toMatch(new RegExp(`eks\\.amazonaws\\.com/role-arn: "?arn:aws:iam::${ACCOUNT}:role/studio/[^"\\s]+-rds-role`));
  expect(values).toMatch(new RegExp(`eks\\.amazonaws\\.com/role-arn: "?arn:aws:iam::${ACCOUNT}:role/studio/[^"\\s]+-s3-role`));
});
