// The cluster and model runs through the real job service on a throw-away job store: the cluster check against
// the Kubernetes API double (every check stored, a failing check fails the run, a missing right is "not
// checkable"), the model copy Job launched, followed and its failure reported (and refused without edit rights,
// with the kubectl commands), the model upload from a folder with its progress bar, and no resume of a task run.
import { S3Client } from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clusterCheckTask, type ClusterCheckOutput } from "@/lib/cluster-runs/cluster-check";
import { modelCopyTask } from "@/lib/cluster-runs/model-copy";
import { createJobService, type JobService } from "@/lib/jobs";
import type { Task } from "@/lib/jobs/tasks";
import { modelUploadTask } from "@/lib/models/upload-task";
import { STEPS } from "@/lib/steps";
import { EDIT_RIGHTS, k8sDoublePerFile, VIEW_RIGHTS } from "@/tests/support/k8s-api-double";
import { S3ObjectStore } from "@/tests/support/s3-object-store";
import { testSettings } from "@/tests/support/settings";
import { openTestDb, type TestDb } from "@/tests/support/test-db";
import { ACCOUNT, healthyStudio, NS, pod, T0, workload } from "../k8s/studio-fixture";

const double = k8sDoublePerFile();
const api = double.api;
const BUCKET = "studio-shared-storage-staging";
const line = (e: object) => `MODEL-COPY ${JSON.stringify(e)}\n`;

let store: TestDb;
let jobs: JobService;
let envId: string;

beforeEach(async () => {
  store = openTestDb();
  jobs = createJobService({ db: store.db, steps: STEPS, heartbeatMs: 50 });
  envId = (await store.db.environment.create({ data: { name: "staging" } })).id;
  healthyStudio(api);
  api.requests.length = 0;
  api.rights = new Set(VIEW_RIGHTS);
});
afterEach(() => store.close());

async function runTask(task: Task, overrides: Record<string, unknown> = {}) {
  const settings = testSettings({ storageSituation: "copy-from-pv", clusterAccess: "eks", ...overrides });
  const { runId } = await jobs.startTask({ environmentId: envId, actor: "ada", settings, task });
  const view = (await jobs.waitForRun(runId))!;
  return { runId, view, step: view.steps[0], logs: (await jobs.logsSince(runId, 0)).map((l) => l.message) };
}

describe("cluster check run", () => {
  it("a healthy namespace: every check passed, stored in the run, which succeeds", async () => {
    const { view, step } = await runTask(clusterCheckTask({ connect: async () => double.conn, accountId: ACCOUNT }));
    expect(view).toMatchObject({ kind: "cluster-check", status: "succeeded" });
    expect(step).toMatchObject({ key: "cluster-check", title: "Check Studio's pods in the cluster", status: "succeeded", progress: 1 });
    const out = step.output as ClusterCheckOutput;
    expect(out.clusterChecks.map((c) => c.status).every((s) => s === "passed")).toBe(true);
    expect(out).toMatchObject({ passed: 12, failed: 0, notCheckable: 0 });
    expect(step.checks?.length).toBe(12);
    expect(api.requests.filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("a pod older than the role change fails the run with 'restart needed'; a read the console may not make is not checkable", async () => {
    api.put("pods", NS, pod(workload("studio-backend"), { created: new Date(T0.getTime() - 60_000), suffix: "old-pod" }));
    api.rights = new Set(VIEW_RIGHTS.filter((r) => !r.includes("jobs")));
    const { view, step } = await runTask(clusterCheckTask({ connect: async () => double.conn, accountId: ACCOUNT }));
    expect(view.status).toBe("failed");
    expect(view.error).toMatch(/^Cluster check: \d+ passed, 1 failed, 1 not checkable$/);
    const checks = Object.fromEntries((step.output as ClusterCheckOutput).clusterChecks.map((c) => [c.id, c]));
    expect(checks["restart:studio-backend"]).toMatchObject({ status: "failed", restartDeployment: "studio-backend" });
    expect(checks["migration-job"]).toMatchObject({ status: "not-checkable", detail: expect.stringContaining("not allowed") });
  });

  it("an unreachable cluster fails the run with the reason", async () => {
    const { view } = await runTask(
      clusterCheckTask({
        connect: async () => {
          throw new Error("EKS cluster studio-eks has no API endpoint or CA yet (status CREATING): wait until it is ACTIVE");
        },
        accountId: ACCOUNT,
      }),
    );
    expect(view).toMatchObject({ status: "failed", error: expect.stringContaining("wait until it is ACTIVE") });
  });

  it("a task run is not resumed: a new one is started instead", async () => {
    const { runId } = await runTask(clusterCheckTask({ connect: async () => { throw new Error("down"); }, accountId: ACCOUNT }));
    await expect(jobs.resumeRun(runId, "ada")).rejects.toThrow(/is a cluster-check run: start a new one instead/);
  });
});

describe("model copy run", () => {
  let s3Store: S3ObjectStore;
  let s3: S3Client;
  beforeEach(() => {
    api.rights = new Set(EDIT_RIGHTS);
    // The model service keeps its models on the chart's claim.
    const d = api.get("deployments", NS, "rasapro");
    d.spec.template.spec.containers[0].name = "rasa";
    d.spec.template.spec.containers[0].volumeMounts = [{ name: "model-data", mountPath: "/app/working-data" }];
    d.spec.template.spec.volumes = [{ name: "model-data", persistentVolumeClaim: { claimName: "rasa-pro-data-pvc-rasa" } }];
    s3Store = new S3ObjectStore(BUCKET).install();
    s3 = new S3Client({ region: "eu-west-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
  });
  afterEach(() => {
    s3Store.restore();
    s3.destroy();
  });

  /**
   * Plays the Job controller from the run's own polls (each poll reads the bucket, bucketEvery 1): a pod and its
   * first lines, then the rest and the outcome, with the copied models landing in the bucket.
   */
  function controller(outcome: "Complete" | "Failed") {
    let polls = 0;
    let podName = "";
    s3Store.onCommand((command) => {
      if (command !== "ListObjectsV2") return;
      polls++;
      if (polls === 1) {
        podName = api.startJobPod(NS, "studio-model-copy");
        api.appendLog(NS, podName, line({ event: "start", files: 2, bytes: 3000 }) + line({ event: "copied", key: "a.tar.gz", bytes: 1000 }));
        s3Store.putDirect("a.tar.gz", Buffer.alloc(1000));
      } else if (polls === 2) {
        if (outcome === "Complete") {
          api.appendLog(NS, podName, line({ event: "copied", key: "b.tar.gz", bytes: 2000 }) + line({ event: "done", copied: 2, skipped: 0, failed: 0, bytes: 3000 }));
          s3Store.putDirect("b.tar.gz", Buffer.alloc(2000));
          api.finishJob(NS, "studio-model-copy", "Complete");
        } else {
          api.appendLog(NS, podName, "upload failed: AccessDenied\n" + line({ event: "failed", key: "b.tar.gz", bytes: 2000 }) + line({ event: "done", copied: 1, skipped: 0, failed: 1, bytes: 1000 }));
          api.finishJob(NS, "studio-model-copy", "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        }
      }
    });
  }

  it("launches the Job on the model service's claim as its service account, follows files and bytes, records success", async () => {
    controller("Complete");
    const { view, step, logs } = await runTask(modelCopyTask({ connect: async () => double.conn, s3, pollIntervalMs: 10, bucketEvery: 1 }));
    expect(view).toMatchObject({ kind: "model-copy", status: "succeeded" });
    const created = api.calls("POST", "/jobs")[0].body;
    expect(created.spec.template.spec.serviceAccountName).toBe("studio-model-service");
    expect(created.spec.template.spec.volumes[0].persistentVolumeClaim).toEqual({ claimName: "rasa-pro-data-pvc-rasa", readOnly: true });
    // Colocated with the model service's pod (the claim is ReadWriteOnce).
    expect(created.spec.template.spec.affinity.podAffinity).toBeDefined();
    expect(step.output).toMatchObject({ phase: "succeeded", progress: { filesCopied: 2, bytesDone: 3000, bytesTotal: 3000 } });
    expect(logs).toContain("Job studio-model-copy running: 1 of 2 files (1 copied, 0 already there), 1000 of 3000 bytes");
    expect(logs).toContain("The bucket holds 2 model(s), 3000 bytes");
  });

  it("a failed Job fails the run with its reason and the files not copied", async () => {
    controller("Failed");
    const { view } = await runTask(modelCopyTask({ connect: async () => double.conn, s3, pollIntervalMs: 10, bucketEvery: 1 }));
    expect(view.status).toBe("failed");
    expect(view.error).toBe("Job studio-model-copy failed: BackoffLimitExceeded: Job has reached the specified backoff limit; files not copied: b.tar.gz");
  });

  it("without edit rights nothing is created: refused with the kubectl commands", async () => {
    api.rights = new Set(VIEW_RIGHTS);
    const { view } = await runTask(modelCopyTask({ connect: async () => double.conn, s3, pollIntervalMs: 10 }));
    expect(view.status).toBe("failed");
    expect(view.error).toMatch(/may not run the model copy job in namespace rasa: it lacks create jobs.batch.*kubectl apply -f staging-model-copy-job.yaml/);
    expect(api.calls("POST", "/jobs")).toEqual([]);
  });
});

describe("model upload run", () => {
  let dir: string;
  let s3Store: S3ObjectStore;
  let s3: S3Client;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "models-run-"));
    fs.writeFileSync(path.join(dir, "20260101-101010-big-otter.tar.gz"), randomBytes(11 * 1024 * 1024));
    fs.writeFileSync(path.join(dir, "20260102-111111-small-lynx.tar.gz"), randomBytes(2048));
    s3Store = new S3ObjectStore(BUCKET).install();
    s3 = new S3Client({ region: "eu-west-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
  });
  afterEach(() => {
    s3Store.restore();
    s3.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("uploads the folder (multipart for the big model), progress to 1, then a second run skips everything", async () => {
    const settings = { modelCopySource: "folder", modelFolder: dir, clusterAccess: "none" };
    const first = await runTask(modelUploadTask({ s3, partSize: 5 * 1024 * 1024 }), settings);
    expect(first.view).toMatchObject({ kind: "model-upload", status: "succeeded" });
    expect(first.step).toMatchObject({ title: "Upload the models from a folder to S3", progress: 1 });
    expect(first.step.output).toMatchObject({ filesTotal: 2, filesUploaded: 2, filesSkipped: 0 });
    expect([...s3Store.objects.keys()].sort()).toEqual(["20260101-101010-big-otter.tar.gz", "20260102-111111-small-lynx.tar.gz"]);
    expect(s3Store.log.some((c) => c.command === "CreateMultipartUpload")).toBe(true);
    const second = await runTask(modelUploadTask({ s3, partSize: 5 * 1024 * 1024 }), settings);
    expect(second.step.output).toMatchObject({ filesUploaded: 0, filesSkipped: 2 });
  });

  it("an environment that does not upload from a folder is refused, naming the field", async () => {
    const { view } = await runTask(modelUploadTask({ s3 }), { modelCopySource: "cluster-job" });
    expect(view).toMatchObject({ status: "failed", error: expect.stringMatching(/^modelFolder is not set/) });
  });
});
