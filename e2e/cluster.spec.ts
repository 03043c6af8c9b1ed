// "Copy the models from the volumes" end to end: the wizard's choice (a Job in the cluster, reached through a
// kubeconfig, with edit rights) leads to the Models rows of the plan (the Job in full, downloadable), and after
// the apply to a model copy run whose progress bar follows the Job. The cluster is the Kubernetes API double
// (tests/support/k8s-api-server.ts), started here; this spec plays the Job controller (a pod, its log, success).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { stringify } from "yaml";
import { EDIT_RIGHTS, K8sApiDouble } from "../tests/support/k8s-api-server";
import { applyPlanToSuccess } from "./support/db-admin";
import { ADMIN_STATE } from "./support/users";
import { pgRole, screenshot, setScenario } from "./support/harness";
import { wizardToStorage } from "./support/wizard";

test.use({ storageState: ADMIN_STATE });

const NS = "rasa";
const line = (e: object) => `MODEL-COPY ${JSON.stringify(e)}\n`;
let api: K8sApiDouble;
let kubeconfig: string;

test.beforeAll(async () => {
  api = await new K8sApiDouble().start();
  api.rights = new Set(EDIT_RIGHTS);
  // The model service as the Rasa Pro subchart deploys it: its working data on the chart's claim.
  const labels = { "app.kubernetes.io/instance": "studio", "app.kubernetes.io/component": "rasa" };
  api.put("deployments", NS, {
    metadata: { name: "rasapro", labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: "studio-model-service",
          containers: [{ name: "rasa", image: "rasa", volumeMounts: [{ name: "model-data", mountPath: "/app/working-data" }] }],
          volumes: [{ name: "model-data", persistentVolumeClaim: { claimName: `rasa-pro-data-pvc-${NS}` } }],
        },
      },
    },
  });
  kubeconfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "e2e-kube-")), "config");
  fs.writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "double", cluster: { server: api.url, "certificate-authority-data": api.tls.caData } }],
      users: [{ name: "console", user: { token: "e2e-token" } }],
      contexts: [{ name: "studio", context: { cluster: "double", user: "console", namespace: NS } }],
      "current-context": "studio",
    }),
  );
});
test.afterAll(async () => {
  await api?.stop();
});

test("copy from volumes: the copy Job in the plan, then after the apply a model copy run with a progress bar", async ({ page }) => {
  test.setTimeout(240_000);
  setScenario({});
  await wizardToStorage(page, "copyjob", pgRole("studio_iam_copy"));

  // Storage: copy from the volumes with a Job; the kubeconfig path is required once chosen.
  await page.getByLabel("Moving from persistent volumes: copy the models to S3 (recommended)").check();
  await page.getByLabel("Cluster access (optional)").selectOption("kubeconfig");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByText("Kubeconfig path is required when the cluster is reached through a kubeconfig")).toBeVisible();
  await page.getByLabel("Kubeconfig path").fill(kubeconfig);
  await page.getByLabel("Also grant edit rights in Studio's namespace").check();
  await screenshot(page, "wizard-storage-copy");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page).toHaveURL(/wizard\/helm$/);
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByTestId("summary-storageSituation")).toHaveAttribute("data-value", "copy-from-pv");
  await expect(page.getByTestId("summary-clusterAccess")).toHaveAttribute("data-value", "kubeconfig");
  await page.getByRole("button", { name: "Save and review the plan" }).click();
  await expect(page).toHaveURL(/\/plan$/);

  // The plan's Models rows: the Job in full and its download.
  const models = page.getByTestId("models-plan");
  await expect(models).toHaveAttribute("data-situation", "copy-from-pv");
  await expect(models.getByTestId("copy-job-plan")).toContainText(`claim rasa-pro-data-pvc-${NS}`);
  const job = models.getByLabel("Kubernetes Job studio-model-copy", { exact: true });
  await expect(job).toContainText("serviceAccountName: studio-model-service");
  await expect(job).toContainText("readOnly: true");
  const envPath = new URL(page.url()).pathname.replace(/\/plan$/, "");
  const download = await page.request.get(`${envPath}/model-copy-job.yaml`);
  expect(download.status()).toBe(200);
  expect(download.headers()["content-disposition"]).toBe('attachment; filename="copyjob-model-copy-job.yaml"');
  expect(await download.text()).toContain("kind: Job");
  await screenshot(page, "plan-models-copy-job");

  await applyPlanToSuccess(page);

  // After the apply: the model copy run, launched by the console in the cluster.
  await page.goto(envPath);
  await page.getByRole("button", { name: "Start the model copy" }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Model copy run of");
  await expect.poll(() => Boolean(api.get("jobs", NS, "studio-model-copy")), { timeout: 30_000 }).toBe(true);
  const created = api.get("jobs", NS, "studio-model-copy");
  expect(created.spec.template.spec.serviceAccountName).toBe("studio-model-service");
  expect(created.spec.template.spec.volumes[0].persistentVolumeClaim).toEqual({ claimName: `rasa-pro-data-pvc-${NS}`, readOnly: true });

  const step = page.getByTestId("step-model-copy");
  const bar = step.locator("progress");
  const pod = api.startJobPod(NS, "studio-model-copy");
  api.appendLog(NS, pod, line({ event: "start", files: 4, bytes: 4000 }) + line({ event: "copied", key: "a.tar.gz", bytes: 1000 }));
  await expect.poll(async () => Number(await bar.getAttribute("value")), { timeout: 30_000 }).toBeCloseTo(0.25, 2);
  await expect(page.getByRole("log", { name: "Run log" })).toContainText("1 of 4 files (1 copied, 0 already there), 1000 of 4000 bytes");
  await screenshot(page, "run-model-copy-progress");
  api.appendLog(
    NS,
    pod,
    line({ event: "copied", key: "b.tar.gz", bytes: 1000 }) +
      line({ event: "skipped", key: "c.tar.gz", bytes: 1000 }) +
      line({ event: "copied", key: "d.tar.gz", bytes: 1000 }) +
      line({ event: "done", copied: 3, skipped: 1, failed: 0, bytes: 4000 }),
  );
  api.finishJob(NS, "studio-model-copy", "Complete");
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 30_000 });
  await expect(step).toHaveAttribute("data-status", "succeeded");
  // A finished step draws no bar (it would read as pending); the log says where the copy ended.
  await expect(bar).toHaveCount(0);
  await expect(page.getByRole("log", { name: "Run log" })).toContainText("4 of 4 files (3 copied, 1 already there), 4000 of 4000 bytes");
});
