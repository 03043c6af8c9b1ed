// The in-cluster model copy as a Kubernetes Job (pure builders): mounts the models' claim read-only, runs as the
// model service's own service account (so it has the S3 role through IRSA or Pod Identity, and no keys), and
// copies each `<name>.tar.gz` to the key the model service will read (./model-volume). The same Job is shown in
// the plan, downloaded as YAML, and launched by the console when it has edit rights.
//
// Image: the official AWS CLI v2 image, public.ecr.aws/aws-cli/aws-cli (ECR Public, which AWS recommends over
// Docker Hub for its rate limits), pinned to a version. It is Amazon Linux 2 with bash and coreutils
// (aws/aws-cli docker/Dockerfile), which the script needs: stat, sha256sum. Mirror it and pass `image` for
// clusters without internet access.
//
// Resumable: a file is skipped when the object already has the same size and the same SHA-256 (kept in the
// object's `x-amz-meta-sha256`, which the console's folder upload writes too); so a re-run after a failure or a
// killed pod copies only what is missing. A file interrupted mid-upload is copied again from its start.
//
// Progress: one `MODEL-COPY {json}` line per event on stdout (`kubectl logs -f job/<name>` shows it), parsed by
// parseCopyLog: start (files, bytes), copied / skipped / failed (key, bytes), done (counts).
import type { V1Job, V1Toleration } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { MANAGED_BY_VALUE } from "@/lib/aws/tags";

export const COPY_JOB_IMAGE = "public.ecr.aws/aws-cli/aws-cli:2.27.0";
export const DEFAULT_COPY_JOB_NAME = "studio-model-copy";
/** Where the claim is mounted in the copy container. */
export const SOURCE_MOUNT = "/models-volume";
/** The user the model service runs as (Studio chart: podSecurityContext.fsGroup 1001), so its files are readable. */
const MODEL_SERVICE_UID = 1001;
export const COPY_LOG_PREFIX = "MODEL-COPY ";
/** The object metadata key holding a file's SHA-256 (hex): `x-amz-meta-sha256`. */
export const SHA256_METADATA_KEY = "sha256";

export interface ModelCopyJobInput {
  namespace: string;
  name?: string;
  /** The model service's service account (it carries the S3 role). */
  serviceAccountName: string;
  claimName: string;
  /** The models directory inside the claim (`models` in the chart's layout). */
  modelsPathInClaim: string;
  bucket: string;
  /** The bucket's region. */
  region: string;
  /** Prepended to each file name (REMOTE_STORAGE_PATH + "/" when the model service sets it). */
  keyPrefix?: string;
  /**
   * Labels of the running model service pod. The chart's claim is ReadWriteOnce: while that pod holds it, the
   * copy must run on the same node. Omit when the model service is scaled down.
   */
  colocateWith?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
  image?: string;
  /** Stops the job after this long (default 6 hours). */
  activeDeadlineSeconds?: number;
}

/**
 * The copy script (bash). Settings come from the environment only, so nothing typed into the console is spliced
 * into it; file names and the key prefix are limited to characters that need no quoting in the JSON lines.
 */
export const COPY_SCRIPT = `set -u
shopt -s nullglob
emit() { echo "MODEL-COPY $1"; }
count=0; total=0
for f in "$MODELS_DIR"/*.tar.gz; do
  count=$((count + 1)); total=$((total + $(stat -c %s "$f")))
done
emit '{"event":"start","files":'"$count"',"bytes":'"$total"'}'
copied=0; skipped=0; failed=0; done_bytes=0
for f in "$MODELS_DIR"/*.tar.gz; do
  name=$(basename "$f")
  size=$(stat -c %s "$f")
  case "$name" in
    *[!A-Za-z0-9._-]*)
      failed=$((failed + 1))
      echo "not copied, unsupported file name (letters, digits, dot, dash, underscore only): $name"
      emit '{"event":"failed","key":"unsupported-name","bytes":'"$size"'}'
      continue ;;
  esac
  key="$KEY_PREFIX$name"
  sum=$(sha256sum "$f" | cut -d ' ' -f 1)
  rsize=""; rsum=""
  read -r rsize rsum < <(aws s3api head-object --bucket "$BUCKET" --key "$key" --query '[ContentLength,Metadata.sha256]' --output text 2>/dev/null)
  if [ -n "$sum" ] && [ "$rsize" = "$size" ] && [ "$rsum" = "$sum" ]; then
    skipped=$((skipped + 1)); done_bytes=$((done_bytes + size))
    emit '{"event":"skipped","key":"'"$key"'","bytes":'"$size"'}'
  elif [ -n "$sum" ] && aws s3 cp "$f" "s3://$BUCKET/$key" --metadata "sha256=$sum" --checksum-algorithm SHA256 --no-progress --only-show-errors; then
    copied=$((copied + 1)); done_bytes=$((done_bytes + size))
    emit '{"event":"copied","key":"'"$key"'","bytes":'"$size"'}'
  else
    failed=$((failed + 1))
    emit '{"event":"failed","key":"'"$key"'","bytes":'"$size"'}'
  fi
done
emit '{"event":"done","copied":'"$copied"',"skipped":'"$skipped"',"failed":'"$failed"',"bytes":'"$done_bytes"'}'
[ "$failed" -eq 0 ]
`;

/** Key prefixes the script can put in its JSON lines unquoted (REMOTE_STORAGE_PATH values are folder names). */
const KEY_PREFIX = /^([A-Za-z0-9._-]+\/)*$/;

export const COPY_JOB_LABELS = { "app.kubernetes.io/name": "studio-model-copy", "app.kubernetes.io/managed-by": MANAGED_BY_VALUE };

export function modelCopyJob(input: ModelCopyJobInput): V1Job {
  const name = input.name ?? DEFAULT_COPY_JOB_NAME;
  if (input.keyPrefix && !KEY_PREFIX.test(input.keyPrefix))
    throw new Error(`keyPrefix must be folder names of letters, digits, '.', '_' or '-', each followed by '/' (got "${input.keyPrefix}")`);
  const modelsDir = `${SOURCE_MOUNT}/${input.modelsPathInClaim.replace(/^\/+|\/+$/g, "")}`.replace(/\/+$/, "");
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, namespace: input.namespace, labels: { ...COPY_JOB_LABELS } },
    spec: {
      // Each retry resumes (files already copied are skipped).
      backoffLimit: 3,
      activeDeadlineSeconds: input.activeDeadlineSeconds ?? 6 * 3600,
      // Kept a week so its outcome and logs can be read back.
      ttlSecondsAfterFinished: 7 * 86400,
      template: {
        metadata: { labels: { ...COPY_JOB_LABELS } },
        spec: {
          serviceAccountName: input.serviceAccountName,
          // The job talks to S3, not to Kubernetes; the IRSA / Pod Identity webhooks mount their own tokens.
          automountServiceAccountToken: false,
          restartPolicy: "Never",
          // The model service's user, so its files are readable; fsGroup makes the projected web-identity /
          // pod-identity token readable to that user (kubelet does not re-own a read-only claim for it).
          securityContext: {
            runAsNonRoot: true,
            runAsUser: MODEL_SERVICE_UID,
            runAsGroup: MODEL_SERVICE_UID,
            fsGroup: MODEL_SERVICE_UID,
            seccompProfile: { type: "RuntimeDefault" },
          },
          ...(input.colocateWith && Object.keys(input.colocateWith).length
            ? {
                affinity: {
                  podAffinity: {
                    requiredDuringSchedulingIgnoredDuringExecution: [
                      { labelSelector: { matchLabels: { ...input.colocateWith } }, topologyKey: "kubernetes.io/hostname" },
                    ],
                  },
                },
              }
            : {}),
          ...(input.nodeSelector ? { nodeSelector: { ...input.nodeSelector } } : {}),
          ...(input.tolerations?.length ? { tolerations: input.tolerations.map((t) => ({ ...t })) } : {}),
          containers: [
            {
              name: "copy",
              image: input.image ?? COPY_JOB_IMAGE,
              command: ["/bin/bash", "-c", COPY_SCRIPT],
              env: [
                { name: "BUCKET", value: input.bucket },
                { name: "KEY_PREFIX", value: input.keyPrefix ?? "" },
                { name: "MODELS_DIR", value: modelsDir },
                { name: "AWS_REGION", value: input.region },
                { name: "AWS_DEFAULT_REGION", value: input.region },
                { name: "HOME", value: "/tmp" },
              ],
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
              volumeMounts: [
                { name: "models", mountPath: SOURCE_MOUNT, readOnly: true },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volumes: [
            { name: "models", persistentVolumeClaim: { claimName: input.claimName, readOnly: true } },
            { name: "tmp", emptyDir: {} },
          ],
        },
      },
    },
  };
}

export function modelCopyJobYaml(input: ModelCopyJobInput): string {
  return stringify(modelCopyJob(input), { lineWidth: 0 });
}

/** `<environment>-model-copy-job.yaml`, the download's name (the commands refer to it). */
export function modelCopyJobFileName(envName: string): string {
  return `${envName}-model-copy-job.yaml`;
}

export interface CopyCommand {
  title: string;
  command: string;
  why: string;
}

/** What an admin runs when the console may not (or should not) start the job itself. */
export function modelCopyKubectlCommands(input: ModelCopyJobInput, fileName: string): CopyCommand[] {
  const name = input.name ?? DEFAULT_COPY_JOB_NAME;
  const ns = input.namespace;
  return [
    { title: "Start the copy", command: `kubectl apply -f ${fileName}`, why: `Creates Job ${name} in namespace ${ns}, running as ${input.serviceAccountName}.` },
    {
      title: "Follow its progress",
      command: `kubectl logs -f job/${name} -n ${ns}`,
      why: "One MODEL-COPY line per file (copied or skipped, with its size), then a done line with the counts.",
    },
    {
      title: "Wait for the outcome",
      command: `kubectl wait --for=condition=complete job/${name} -n ${ns} --timeout=6h`,
      why: "Returns when every file is in the bucket; a failed job shows its failed files in the log.",
    },
    {
      title: "Run it again (resumes)",
      command: `kubectl delete job ${name} -n ${ns} && kubectl apply -f ${fileName}`,
      why: "Files already in the bucket with the same size and SHA-256 are skipped, so a re-run copies only what is missing.",
    },
  ];
}

// ---- progress from the log ----------------------------------------------------------------------------------

export interface CopyProgress {
  started: boolean;
  filesTotal: number;
  bytesTotal: number;
  filesCopied: number;
  filesSkipped: number;
  filesFailed: number;
  /** Bytes of files copied or skipped. */
  bytesDone: number;
  failedKeys: string[];
  /** The done line was seen. */
  finished: boolean;
  /** The last lines that are not progress lines (the AWS CLI's errors), newest last. */
  otherLines: string[];
}

export function emptyProgress(): CopyProgress {
  return { started: false, filesTotal: 0, bytesTotal: 0, filesCopied: 0, filesSkipped: 0, filesFailed: 0, bytesDone: 0, failedKeys: [], finished: false, otherLines: [] };
}

/** Reads the copy's progress from one pod's log (a retried pod starts over and skips what is done). */
export function parseCopyLog(log: string): CopyProgress {
  const p = emptyProgress();
  for (const line of log.split("\n")) {
    if (!line.startsWith(COPY_LOG_PREFIX)) {
      if (line.trim()) p.otherLines = [...p.otherLines, line.trim()].slice(-5);
      continue;
    }
    let e: { event?: string; files?: number; bytes?: number; key?: string };
    try {
      e = JSON.parse(line.slice(COPY_LOG_PREFIX.length));
    } catch {
      continue;
    }
    const bytes = Number(e.bytes) || 0;
    switch (e.event) {
      case "start":
        Object.assign(p, { ...emptyProgress(), started: true, filesTotal: Number(e.files) || 0, bytesTotal: bytes, otherLines: p.otherLines });
        break;
      case "copied":
        p.filesCopied++;
        p.bytesDone += bytes;
        break;
      case "skipped":
        p.filesSkipped++;
        p.bytesDone += bytes;
        break;
      case "failed":
        p.filesFailed++;
        p.failedKeys.push(String(e.key));
        break;
      case "done":
        p.finished = true;
        break;
    }
  }
  return p;
}
