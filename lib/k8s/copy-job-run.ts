import "server-only";
// Running the model copy Job from the console: launch it (only with the rights, asked of the cluster first),
// follow its progress from the newest pod's log, and read its outcome from the Job's conditions.
import { type V1Job, type V1Pod } from "@kubernetes/client-node";
import { COPY_JOB_NEEDS, missingRights, NoEditRightsError } from "./access-review";
import type { ClusterConnection } from "./cluster";
import { kubeCall, kubeFind, KubeCallError } from "./errors";
import { emptyProgress, parseCopyLog, type CopyProgress } from "./copy-job";

export type CopyJobPhase = "pending" | "running" | "succeeded" | "failed";

export interface CopyJobState {
  name: string;
  phase: CopyJobPhase;
  progress: CopyProgress;
  /** The pod whose log the progress comes from (the newest). */
  pod?: string;
  /** Why it is not running yet (Unschedulable, ImagePullBackOff…) or why it failed (BackoffLimitExceeded…). */
  reason?: string;
  /** Pods started so far: more than one means retries (each resumes). */
  attempts: number;
}

function finished(job: V1Job): { phase: "succeeded" | "failed"; reason?: string } | null {
  for (const c of job.status?.conditions ?? []) {
    if (c.status !== "True") continue;
    if (c.type === "Complete" || c.type === "SuccessCriteriaMet") return { phase: "succeeded" };
    if (c.type === "Failed" || c.type === "FailureTarget") return { phase: "failed", reason: [c.reason, c.message].filter(Boolean).join(": ") || "Failed" };
  }
  return null;
}

/** Why a pod is not (yet) running: scheduling or image problems, in the scheduler's and kubelet's words. */
function waitingReason(pod: V1Pod | undefined): string | undefined {
  if (!pod) return undefined;
  const unschedulable = pod.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False");
  if (unschedulable) return `${unschedulable.reason ?? "Unschedulable"}: ${unschedulable.message ?? ""}`.trim();
  const waiting = pod.status?.containerStatuses?.find((s) => s.state?.waiting && s.state.waiting.reason !== "ContainerCreating")?.state?.waiting;
  return waiting ? `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ""}` : undefined;
}

export async function readCopyJob(conn: ClusterConnection, namespace: string, name: string, signal?: AbortSignal): Promise<CopyJobState | null> {
  const o = { signal };
  const job = await kubeFind(`read job ${name} in namespace ${namespace}`, () => conn.batch.readNamespacedJob({ name, namespace }), o);
  if (!job) return null;
  const pods = (
    await kubeCall(`list the pods of job ${name} in namespace ${namespace}`, () => conn.core.listNamespacedPod({ namespace, labelSelector: `job-name=${name}` }), o)
  ).items.sort((a, b) => new Date(b.metadata?.creationTimestamp ?? 0).getTime() - new Date(a.metadata?.creationTimestamp ?? 0).getTime());
  const newest = pods[0];
  let progress = emptyProgress();
  if (newest && newest.status?.phase !== "Pending") {
    const log = await kubeCall(
      `read the log of pod ${newest.metadata?.name} in namespace ${namespace}`,
      () => conn.core.readNamespacedPodLog({ name: newest.metadata!.name!, namespace, container: "copy" }),
      o,
    );
    progress = parseCopyLog(log);
  }
  const end = finished(job);
  return {
    name,
    phase: end?.phase ?? (newest?.status?.phase === "Running" ? "running" : "pending"),
    progress,
    pod: newest?.metadata?.name,
    reason: end?.reason ?? waitingReason(newest),
    attempts: pods.length,
  };
}

/**
 * Creates the Job, after asking the cluster whether the console may (and may follow it). A Job of that name that
 * is still running is followed instead; a finished one is replaced only when `replaceFinished` (a re-run resumes).
 */
export async function launchCopyJob(
  conn: ClusterConnection,
  job: V1Job,
  opts: { kubectlCommands: string[]; replaceFinished?: boolean; signal?: AbortSignal },
): Promise<{ name: string; created: boolean }> {
  const namespace = job.metadata!.namespace!;
  const name = job.metadata!.name!;
  const o = { signal: opts.signal };
  const missing = await missingRights(conn, COPY_JOB_NEEDS(namespace), opts.signal);
  if (missing.length) throw new NoEditRightsError(`run the model copy job in namespace ${namespace}`, missing, opts.kubectlCommands);
  const create = () => kubeCall(`create job ${name} in namespace ${namespace}`, () => conn.batch.createNamespacedJob({ namespace, body: job }), o);
  try {
    await create();
    return { name, created: true };
  } catch (err) {
    if (!(err instanceof KubeCallError && err.kind === "conflict")) throw err;
  }
  const existing = await kubeFind(`read job ${name} in namespace ${namespace}`, () => conn.batch.readNamespacedJob({ name, namespace }), o);
  if (existing && !finished(existing)) return { name, created: false };
  if (!opts.replaceFinished)
    throw new Error(`job ${name} already exists in namespace ${namespace} and has finished: delete it (kubectl delete job ${name} -n ${namespace}) or choose to run the copy again`);
  await kubeCall(
    `delete the finished job ${name} in namespace ${namespace}`,
    () => conn.batch.deleteNamespacedJob({ name, namespace, propagationPolicy: "Background" }),
    o,
  );
  await create();
  return { name, created: true };
}

/** Polls the Job until it succeeds or fails, reporting each reading; resolves with the final state. */
export async function followCopyJob(
  conn: ClusterConnection,
  namespace: string,
  name: string,
  opts: { onProgress?: (s: CopyJobState) => void | Promise<void>; signal?: AbortSignal; pollIntervalMs?: number },
): Promise<CopyJobState> {
  for (;;) {
    const state = await readCopyJob(conn, namespace, name, opts.signal);
    if (!state) throw new Error(`job ${name} no longer exists in namespace ${namespace} (deleted, or removed by its TTL)`);
    await opts.onProgress?.(state);
    if (state.phase === "succeeded" || state.phase === "failed") return state;
    await sleep(opts.pollIntervalMs ?? 5000, opts.signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
