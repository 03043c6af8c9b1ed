// The copy Job as built (the manifest a reviewer sees and kubectl applies) and its script, run for real with
// bash against a stand-in `aws` command that keeps the "bucket" in a directory: copy, skip on a second run,
// copy again what changed, report what failed. Progress is parsed from the script's own output.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  COPY_JOB_IMAGE,
  COPY_SCRIPT,
  modelCopyJob,
  modelCopyJobFileName,
  modelCopyJobYaml,
  modelCopyKubectlCommands,
  parseCopyLog,
  type ModelCopyJobInput,
} from "@/lib/k8s/copy-job";

const input: ModelCopyJobInput = {
  namespace: "rasa",
  serviceAccountName: "studio-model-service",
  claimName: "rasa-pro-data-pvc-rasa",
  modelsPathInClaim: "models",
  bucket: "studio-shared-storage-staging",
  region: "eu-west-1",
  colocateWith: { "app.kubernetes.io/name": "rasa", "app.kubernetes.io/instance": "studio" },
};

describe("model copy Job manifest", () => {
  it("mounts the claim read-only, runs as the model service account with no keys and no API token, on the model service's node", () => {
    const job = modelCopyJob(input);
    const spec = job.spec!.template.spec!;
    expect(job.metadata).toMatchObject({ name: "studio-model-copy", namespace: "rasa" });
    expect(spec.serviceAccountName).toBe("studio-model-service");
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.restartPolicy).toBe("Never");
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1001, fsGroup: 1001 });
    expect(spec.volumes).toContainEqual({ name: "models", persistentVolumeClaim: { claimName: "rasa-pro-data-pvc-rasa", readOnly: true } });
    const c = spec.containers[0];
    expect(c.image).toBe(COPY_JOB_IMAGE);
    expect(c.volumeMounts).toContainEqual({ name: "models", mountPath: "/models-volume", readOnly: true });
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(c.env).toEqual([
      { name: "BUCKET", value: "studio-shared-storage-staging" },
      { name: "KEY_PREFIX", value: "" },
      { name: "MODELS_DIR", value: "/models-volume/models" },
      { name: "AWS_REGION", value: "eu-west-1" },
      { name: "AWS_DEFAULT_REGION", value: "eu-west-1" },
      { name: "HOME", value: "/tmp" },
    ]);
    expect(c.env!.map((e) => e.name)).not.toContain("AWS_ACCESS_KEY_ID");
    expect(spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { labelSelector: { matchLabels: input.colocateWith }, topologyKey: "kubernetes.io/hostname" },
    ]);
    expect(job.spec).toMatchObject({ backoffLimit: 3, activeDeadlineSeconds: 21600 });
  });

  it("the YAML download parses back to the same Job, and the kubectl commands refer to it", () => {
    expect(parse(modelCopyJobYaml(input))).toEqual(JSON.parse(JSON.stringify(modelCopyJob(input))));
    const file = modelCopyJobFileName("staging");
    expect(modelCopyKubectlCommands(input, file).map((c) => c.command)).toEqual([
      "kubectl apply -f staging-model-copy-job.yaml",
      "kubectl logs -f job/studio-model-copy -n rasa",
      "kubectl wait --for=condition=complete job/studio-model-copy -n rasa --timeout=6h",
      "kubectl delete job studio-model-copy -n rasa && kubectl apply -f staging-model-copy-job.yaml",
    ]);
  });

  it("refuses a key prefix the script could not write safely", () => {
    expect(() => modelCopyJob({ ...input, keyPrefix: 'models"; rm -rf /' })).toThrow(/^keyPrefix must be folder names/);
    expect(modelCopyJob({ ...input, keyPrefix: "models/" }).spec!.template.spec!.containers[0].env).toContainEqual({ name: "KEY_PREFIX", value: "models/" });
  });
});

// A stand-in for the AWS CLI: `s3api head-object` and `s3 cp`, storing objects as files under $FAKE_BUCKET_DIR
// with their x-amz-meta-sha256 beside them. $FAIL_KEY makes one upload fail like a denied PutObject.
const FAKE_AWS = `#!/bin/bash
echo "$*" >> "$FAKE_BUCKET_DIR/.calls"
if [ "$1 $2" = "s3api head-object" ]; then
  key=$6
  [ -f "$FAKE_BUCKET_DIR/$key" ] || { echo "An error occurred (404) when calling the HeadObject operation: Not Found" >&2; exit 254; }
  printf '%s\\t%s\\n' "$(stat -c %s "$FAKE_BUCKET_DIR/$key")" "$(cat "$FAKE_BUCKET_DIR/$key.sha256" 2>/dev/null || echo None)"
  exit 0
fi
if [ "$1 $2" = "s3 cp" ]; then
  src=$3; key=\${4#s3://*/}
  if [ "$key" = "\${FAIL_KEY:-}" ]; then echo "upload failed: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied" >&2; exit 1; fi
  [ "$5" = "--metadata" ] || exit 2
  cp "$src" "$FAKE_BUCKET_DIR/$key" && echo "\${6#sha256=}" > "$FAKE_BUCKET_DIR/$key.sha256"
  exit 0
fi
exit 3
`;

describe("model copy script (bash, with a stand-in aws)", () => {
  let dir: string;
  let models: string;
  let bucket: string;
  let bin: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "copy-script-"));
    models = path.join(dir, "working-data", "models");
    bucket = path.join(dir, "bucket");
    bin = path.join(dir, "bin");
    for (const d of [models, bucket, bin]) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(bin, "aws"), FAKE_AWS, { mode: 0o755 });
    fs.writeFileSync(path.join(models, "20260101-101010-calm-otter.tar.gz"), Buffer.alloc(1000, 1));
    fs.writeFileSync(path.join(models, "20260102-111111-brave-lynx.tar.gz"), Buffer.alloc(2500, 2));
    fs.writeFileSync(path.join(models, "20260103-121212-quiet-heron.tar.gz"), Buffer.alloc(10, 3));
    fs.writeFileSync(path.join(models, "notes.txt"), "not a model");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function runScript(extraEnv: Record<string, string> = {}) {
    const r = spawnSync("/bin/bash", ["-c", COPY_SCRIPT], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, MODELS_DIR: models, BUCKET: "b", KEY_PREFIX: "", FAKE_BUCKET_DIR: bucket, ...extraEnv },
      encoding: "utf8",
    });
    return { status: r.status, log: r.stdout + r.stderr };
  }

  it("copies every model with its SHA-256, then skips them all on a second run", () => {
    const first = runScript();
    expect(first.status).toBe(0);
    expect(parseCopyLog(first.log)).toMatchObject({
      started: true,
      filesTotal: 3,
      bytesTotal: 3510,
      filesCopied: 3,
      filesSkipped: 0,
      filesFailed: 0,
      bytesDone: 3510,
      finished: true,
    });
    const sha = execFileSync("sha256sum", [path.join(models, "20260101-101010-calm-otter.tar.gz")], { encoding: "utf8" }).split(" ")[0];
    expect(fs.readFileSync(path.join(bucket, "20260101-101010-calm-otter.tar.gz.sha256"), "utf8").trim()).toBe(sha);
    expect(fs.existsSync(path.join(bucket, "notes.txt"))).toBe(false);

    const second = runScript();
    expect(second.status).toBe(0);
    expect(parseCopyLog(second.log)).toMatchObject({ filesCopied: 0, filesSkipped: 3, bytesDone: 3510, finished: true });
  });

  it("copies again a model whose content changed (same size, other checksum)", () => {
    runScript();
    fs.writeFileSync(path.join(models, "20260102-111111-brave-lynx.tar.gz"), Buffer.alloc(2500, 9));
    const again = parseCopyLog(runScript().log);
    expect(again).toMatchObject({ filesCopied: 1, filesSkipped: 2 });
  });

  it("a failed upload is reported by key, the others still go, and the job fails", () => {
    const r = runScript({ FAIL_KEY: "20260102-111111-brave-lynx.tar.gz", KEY_PREFIX: "" });
    expect(r.status).not.toBe(0);
    const p = parseCopyLog(r.log);
    expect(p).toMatchObject({ filesCopied: 2, filesFailed: 1, failedKeys: ["20260102-111111-brave-lynx.tar.gz"], finished: true });
    expect(p.otherLines.join("\n")).toContain("AccessDenied");
  });

  it("puts models under the key prefix, and an empty models folder is a finished copy of nothing", () => {
    fs.mkdirSync(path.join(bucket, "models"));
    expect(parseCopyLog(runScript({ KEY_PREFIX: "models/" }).log).filesCopied).toBe(3);
    expect(fs.existsSync(path.join(bucket, "models", "20260103-121212-quiet-heron.tar.gz"))).toBe(true);
    const empty = runScript({ MODELS_DIR: path.join(dir, "nothing-here") });
    expect(empty.status).toBe(0);
    expect(parseCopyLog(empty.log)).toMatchObject({ started: true, filesTotal: 0, finished: true });
  });
});
