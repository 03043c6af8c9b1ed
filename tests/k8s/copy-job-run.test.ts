// Launching and following the model copy Job through the real client against the API double, which plays the
// Job controller step by step (a pod, its log lines, the final condition) from the progress callback, so the
// sequence is the same however fast the polling runs.
import { beforeEach, describe, expect, it } from "vitest";
import { NoEditRightsError } from "@/lib/k8s/access-review";
import { modelCopyJob, modelCopyJobFileName, modelCopyKubectlCommands, type ModelCopyJobInput } from "@/lib/k8s/copy-job";
import { followCopyJob, launchCopyJob, readCopyJob, type CopyJobState } from "@/lib/k8s/copy-job-run";
import { EDIT_RIGHTS, k8sDoublePerFile, VIEW_RIGHTS } from "@/tests/support/k8s-api-double";

const NS = "rasa";
const input: ModelCopyJobInput = {
  namespace: NS,
  serviceAccountName: "studio-model-service",
  claimName: "rasa-pro-data-pvc-rasa",
  modelsPathInClaim: "models",
  bucket: "studio-shared-storage-staging",
  region: "eu-west-1",
};
const job = modelCopyJob(input);
const commands = modelCopyKubectlCommands(input, modelCopyJobFileName("staging")).map((c) => c.command);
const line = (e: object) => `MODEL-COPY ${JSON.stringify(e)}\n`;

const double = k8sDoublePerFile();
const api = double.api;
beforeEach(() => {
  api.objects.clear();
  api.logs.clear();
  api.requests.length = 0;
  api.rights = new Set(EDIT_RIGHTS);
});

describe("model copy job: launch, follow, outcome", () => {
  it("launched with edit rights, progress followed from the log (files and bytes), success recorded", async () => {
    expect(await launchCopyJob(double.conn, job, { kubectlCommands: commands })).toEqual({ name: "studio-model-copy", created: true });
    expect(api.calls("POST", "/jobs")[0].body.spec.template.spec.serviceAccountName).toBe("studio-model-service");

    const seen: Pick<CopyJobState, "phase" | "attempts">[] = [];
    const bytes: [number, number][] = [];
    let pod = "";
    const final = await followCopyJob(double.conn, NS, "studio-model-copy", {
      pollIntervalMs: 1,
      onProgress: (s) => {
        seen.push({ phase: s.phase, attempts: s.attempts });
        bytes.push([s.progress.filesCopied + s.progress.filesSkipped, s.progress.bytesDone]);
        if (seen.length === 1) {
          pod = api.startJobPod(NS, "studio-model-copy");
          api.appendLog(NS, pod, line({ event: "start", files: 3, bytes: 3000 }) + line({ event: "copied", key: "a.tar.gz", bytes: 1000 }));
        } else if (seen.length === 2) {
          api.appendLog(NS, pod, line({ event: "skipped", key: "b.tar.gz", bytes: 500 }) + line({ event: "copied", key: "c.tar.gz", bytes: 1500 }));
          api.appendLog(NS, pod, line({ event: "done", copied: 2, skipped: 1, failed: 0, bytes: 3000 }));
          api.finishJob(NS, "studio-model-copy", "Complete");
        }
      },
    });
    expect(seen).toEqual([
      { phase: "pending", attempts: 0 },
      { phase: "running", attempts: 1 },
      { phase: "succeeded", attempts: 1 },
    ]);
    expect(bytes).toEqual([[0, 0], [1, 1000], [3, 3000]]);
    expect(final.progress).toMatchObject({ filesTotal: 3, bytesTotal: 3000, filesCopied: 2, filesSkipped: 1, finished: true });
    expect(final.pod).toBe(pod);
  });

  it("failure reported: the job's reason, the failed files from the newest (retried) pod", async () => {
    await launchCopyJob(double.conn, job, { kubectlCommands: commands });
    const first = api.startJobPod(NS, "studio-model-copy");
    api.appendLog(NS, first, line({ event: "start", files: 2, bytes: 20 }) + "upload failed: An error occurred (AccessDenied) when calling the PutObject operation\n");
    const second = api.startJobPod(NS, "studio-model-copy");
    api.appendLog(
      NS,
      second,
      line({ event: "start", files: 2, bytes: 20 }) +
        line({ event: "copied", key: "a.tar.gz", bytes: 10 }) +
        "upload failed: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied\n" +
        line({ event: "failed", key: "b.tar.gz", bytes: 10 }) +
        line({ event: "done", copied: 1, skipped: 0, failed: 1, bytes: 10 }),
    );
    api.finishJob(NS, "studio-model-copy", "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
    const final = await followCopyJob(double.conn, NS, "studio-model-copy", { pollIntervalMs: 1 });
    expect(final).toMatchObject({
      phase: "failed",
      pod: second,
      attempts: 2,
      reason: "BackoffLimitExceeded: Job has reached the specified backoff limit",
      progress: { filesCopied: 1, filesFailed: 1, failedKeys: ["b.tar.gz"], finished: true },
    });
    expect(final.progress.otherLines.at(-1)).toContain("AccessDenied");
  });

  it("a pod that cannot be scheduled says why", async () => {
    await launchCopyJob(double.conn, job, { kubectlCommands: commands });
    const pod = api.startJobPod(NS, "studio-model-copy");
    api.get("pods", NS, pod).status = {
      phase: "Pending",
      conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available: 3 node(s) didn't match pod affinity rules." }],
    };
    expect(await readCopyJob(double.conn, NS, "studio-model-copy")).toMatchObject({
      phase: "pending",
      reason: "Unschedulable: 0/3 nodes are available: 3 node(s) didn't match pod affinity rules.",
    });
  });

  it("refused without edit rights, with the kubectl commands, and nothing created", async () => {
    api.rights = new Set(VIEW_RIGHTS);
    const err = await launchCopyJob(double.conn, job, { kubectlCommands: commands }).catch((e) => e);
    expect(err).toBeInstanceOf(NoEditRightsError);
    expect(err.missing).toEqual(["create jobs.batch in namespace rasa"]);
    expect(err.commands[0]).toBe("kubectl apply -f staging-model-copy-job.yaml");
    expect(api.calls("POST", "/jobs")).toEqual([]);
  });

  it("an existing job: followed while it runs; once finished, replaced only when asked", async () => {
    await launchCopyJob(double.conn, job, { kubectlCommands: commands });
    expect(await launchCopyJob(double.conn, job, { kubectlCommands: commands })).toEqual({ name: "studio-model-copy", created: false });
    api.finishJob(NS, "studio-model-copy", "Complete");
    await expect(launchCopyJob(double.conn, job, { kubectlCommands: commands })).rejects.toThrow(/has finished: delete it/);
    expect(await launchCopyJob(double.conn, job, { kubectlCommands: commands, replaceFinished: true })).toEqual({ name: "studio-model-copy", created: true });
    expect(api.calls("DELETE", "/jobs/studio-model-copy")[0].query.get("propagationPolicy")).toBe("Background");
    expect(api.get("jobs", NS, "studio-model-copy").status).toBeUndefined();
  });

  it("following a job that disappeared fails clearly; following can be cancelled", async () => {
    await expect(followCopyJob(double.conn, NS, "studio-model-copy", { pollIntervalMs: 1 })).rejects.toThrow(/no longer exists/);
    await launchCopyJob(double.conn, job, { kubectlCommands: commands });
    const ac = new AbortController();
    const following = followCopyJob(double.conn, NS, "studio-model-copy", { pollIntervalMs: 60_000, signal: ac.signal, onProgress: () => ac.abort(new Error("cancelled")) });
    await expect(following).rejects.toThrow("cancelled");
  });
});
