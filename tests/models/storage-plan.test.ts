// What the plan says about the models, by storage situation, and the wizard's rules for cluster access and the
// copy: fields named with their rule; nothing is required of an environment that does not use it.
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { environmentSettingsSchema, storageSchema } from "@/lib/config/environment";
import { modelStoragePlan, RETRAIN_CHECKLIST } from "@/lib/models/storage-plan";
import { testSettings, VALID_SETTINGS } from "@/tests/support/settings";

describe("the Models section of the plan", () => {
  it("already on S3: nothing needs moving", () => {
    expect(modelStoragePlan(testSettings())).toEqual({ situation: "already-s3", message: expect.stringMatching(/^The models are already on S3: nothing needs moving/) });
  });

  it("retrain: the guide's checklist, unaffected data first", () => {
    const plan = modelStoragePlan(testSettings({ storageSituation: "retrain" }));
    expect(plan).toMatchObject({ situation: "retrain", checklist: RETRAIN_CHECKLIST });
    expect(RETRAIN_CHECKLIST[0].text).toMatch(/Training data and assistant configurations are not affected/);
  });

  it("copy from volumes with a Job: the Job in full (claim read-only, the model service account, the bucket), kubectl commands without edit rights", () => {
    const plan = modelStoragePlan(testSettings({ storageSituation: "copy-from-pv" }));
    if (plan.situation !== "copy-from-pv" || plan.source !== "cluster-job") throw new Error(`unexpected plan ${plan.situation}`);
    expect(plan.launchedByConsole).toBe(false);
    expect(plan.job.fileName).toBe("staging-model-copy-job.yaml");
    const job = parse(plan.job.yaml);
    expect(job).toMatchObject({ kind: "Job", metadata: { name: "studio-model-copy", namespace: "rasa" } });
    expect(job.spec.template.spec.serviceAccountName).toBe("studio-model-service");
    expect(job.spec.template.spec.volumes[0]).toEqual({ name: "models", persistentVolumeClaim: { claimName: "rasa-pro-data-pvc-rasa", readOnly: true } });
    expect(job.spec.template.spec.containers[0].env).toContainEqual({ name: "BUCKET", value: "studio-shared-storage-staging" });
    expect(plan.commands.map((c) => c.command)).toEqual([
      "kubectl apply -f staging-model-copy-job.yaml",
      "kubectl logs -f job/studio-model-copy -n rasa",
      "kubectl wait --for=condition=complete job/studio-model-copy -n rasa --timeout=6h",
      "kubectl delete job studio-model-copy -n rasa && kubectl apply -f staging-model-copy-job.yaml",
    ]);
    const launched = modelStoragePlan(testSettings({ storageSituation: "copy-from-pv", clusterAccess: "eks", clusterEditRights: true }));
    expect(launched).toMatchObject({ launchedByConsole: true, message: expect.stringMatching(/a model copy run starts Job studio-model-copy/) });
  });

  it("copy from a folder: an upload run from that folder", () => {
    const plan = modelStoragePlan(testSettings({ storageSituation: "copy-from-pv", modelCopySource: "folder", modelFolder: "/srv/models" }));
    expect(plan).toMatchObject({ situation: "copy-from-pv", source: "folder", folder: "/srv/models" });
  });
});

describe("cluster access and copy settings", () => {
  const issues = (input: Record<string, unknown>) => {
    const r = environmentSettingsSchema.safeParse({ ...VALID_SETTINGS, ...input });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")} ${i.message}`);
  };

  it("default to no cluster access, no edit rights, the Job", () => {
    expect(testSettings()).toMatchObject({ clusterAccess: "none", clusterEditRights: false, modelCopySource: "cluster-job" });
  });

  it("a kubeconfig needs its path; a folder upload needs its folder; paths are absolute", () => {
    expect(issues({ clusterAccess: "kubeconfig" })).toEqual(["kubeconfigPath is required when the cluster is reached through a kubeconfig"]);
    expect(issues({ storageSituation: "copy-from-pv", modelCopySource: "folder" })).toEqual(["modelFolder is required when the models are uploaded from a folder"]);
    expect(issues({ storageSituation: "copy-from-pv", modelCopySource: "folder", modelFolder: "models" })).toEqual([
      "modelFolder must be an absolute path on the console's machine (starting with /)",
    ]);
    expect(issues({ clusterAccess: "cluster-admin" })).toEqual(["clusterAccess must be none, eks or kubeconfig"]);
    // The folder is only asked for when it is used.
    expect(issues({ storageSituation: "retrain", modelCopySource: "folder" })).toEqual([]);
  });

  it("the storage page checks the same rules", () => {
    const r = storageSchema.safeParse({ bucketName: "studio-shared-storage-staging", storageSituation: "copy-from-pv", modelCopySource: "folder" });
    expect(r.success ? [] : r.error.issues.map((i) => i.path.join("."))).toEqual(["modelFolder"]);
  });
});

describe("the model runs in the operator policy", () => {
  it("the folder upload's object calls on that bucket only, the copy Job's bucket listing, nothing when nothing moves", async () => {
    const { operatorPolicy } = await import("@/lib/steps/operator-policy");
    const actionsOn = (s: Parameters<typeof operatorPolicy>[0]): string[] =>
      operatorPolicy(s).Statement.filter((st) => ([] as string[]).concat(st.Resource ?? []).includes("arn:aws:s3:::studio-shared-storage-staging/*")).flatMap((st) => ([] as string[]).concat(st.Action ?? []));
    const folder = testSettings({ storageSituation: "copy-from-pv", modelCopySource: "folder", modelFolder: "/srv/models" });
    expect(actionsOn({ settings: folder, accountId: "111122223333" }).sort()).toEqual(["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"]);
    expect(actionsOn({ settings: testSettings({ storageSituation: "copy-from-pv" }), accountId: "111122223333" })).toEqual([]);
    expect(JSON.stringify(operatorPolicy({ settings: testSettings(), accountId: "111122223333" }))).not.toContain("ListBucketMultipartUploads");
  });
});
