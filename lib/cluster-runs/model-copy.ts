import "server-only";
// The "model copy" run: find where the model service keeps its models (its deployment's claim, lib/k8s/
// model-volume), start the copy Job there (lib/k8s/copy-job-run: only with edit rights, else refused with the
// kubectl commands), follow it (files and bytes from its log; the bucket's count of models beside it) on the
// run page's progress bar, and record the outcome.
import type { V1Deployment } from "@kubernetes/client-node";
import type { S3Client } from "@aws-sdk/client-s3";
import { awsClients } from "@/lib/aws/clients";
import type { EnvironmentSettings } from "@/lib/config/environment";
import type { Task, TaskContext } from "@/lib/jobs/tasks";
import type { ClusterConnection } from "@/lib/k8s/cluster";
import { modelCopyJob, modelCopyJobFileName, modelCopyKubectlCommands, type ModelCopyJobInput } from "@/lib/k8s/copy-job";
import { followCopyJob, launchCopyJob, type CopyJobState } from "@/lib/k8s/copy-job-run";
import { kubeCall } from "@/lib/k8s/errors";
import { findModelVolume, modelObjectKey } from "@/lib/k8s/model-volume";
import { modelsInBucket } from "@/lib/models/bucket-models";
import { plannedCopyJobInput } from "@/lib/models/storage-plan";
import type { Connect } from "./connect";

export interface ModelCopyOptions {
  connect: Connect;
  s3?: S3Client;
  pollIntervalMs?: number;
  /** Read the bucket's side every this many polls (default 6: every 30 s at the default interval). */
  bucketEvery?: number;
}

/** The Job from the live model service deployment (claim, node, key prefix), else the planned defaults. */
export async function copyJobInputFromCluster(
  conn: ClusterConnection,
  s: EnvironmentSettings,
  log: TaskContext["log"],
  signal?: AbortSignal,
): Promise<ModelCopyJobInput> {
  const planned = plannedCopyJobInput(s);
  let deployments: V1Deployment[];
  try {
    deployments = (await kubeCall(`list deployments in namespace ${s.namespace}`, () => conn.apps.listNamespacedDeployment({ namespace: s.namespace }), { signal })).items;
  } catch (err) {
    await log("warn", `${(err as Error).message}: using the chart's claim ${planned.claimName}`);
    return planned;
  }
  const model = deployments.find((d) => d.spec?.template.spec?.serviceAccountName === s.modelServiceAccount);
  if (!model) {
    await log("warn", `no deployment in ${s.namespace} runs as ${s.modelServiceAccount}: using the chart's claim ${planned.claimName}`);
    return planned;
  }
  const found = findModelVolume(model);
  if (!found.ok) throw new Error(`the models are not on a volume: ${found.why}`);
  const v = found.volume;
  const keyPrefix = modelObjectKey("", v.remoteStoragePath);
  await log("info", `${model.metadata?.name} keeps its models on claim ${v.claimName} (folder ${v.modelsPathInClaim}); they go to s3://${s.bucketName}/${keyPrefix}`);
  return {
    ...planned,
    claimName: v.claimName,
    modelsPathInClaim: v.modelsPathInClaim,
    keyPrefix: keyPrefix || undefined,
    colocateWith: Object.keys(v.podLabels).length ? v.podLabels : undefined,
    nodeSelector: v.nodeSelector,
    tolerations: v.tolerations,
  };
}

function stateLine(st: CopyJobState): string {
  const p = st.progress;
  const files = p.started ? `${p.filesCopied + p.filesSkipped} of ${p.filesTotal} files (${p.filesCopied} copied, ${p.filesSkipped} already there), ${p.bytesDone} of ${p.bytesTotal} bytes` : "not started";
  return `Job ${st.name} ${st.phase}: ${files}${st.reason ? ` — ${st.reason}` : ""}`;
}

export function modelCopyTask(opts: ModelCopyOptions): Task {
  return {
    kind: "model-copy",
    async run(ctx) {
      const s = ctx.settings;
      if (s.storageSituation !== "copy-from-pv" || s.modelCopySource !== "cluster-job")
        throw new Error("storageSituation is not copy-from-pv with modelCopySource cluster-job: there is no copy Job to run");
      const conn = await opts.connect();
      const input = await copyJobInputFromCluster(conn, s, ctx.log, ctx.signal);
      const commands = modelCopyKubectlCommands(input, modelCopyJobFileName(s.name)).map((c) => c.command);
      const launched = await launchCopyJob(conn, modelCopyJob(input), { kubectlCommands: commands, replaceFinished: true, signal: ctx.signal });
      await ctx.log("info", launched.created ? `Started Job ${launched.name} in namespace ${s.namespace}` : `Job ${launched.name} is already running: following it`);
      const s3 = opts.s3 ?? awsClients(s.region).s3;
      let polls = 0;
      let lastLine = "";
      const follow = followCopyJob(conn, s.namespace, launched.name, {
        signal: ctx.signal,
        pollIntervalMs: opts.pollIntervalMs,
        onProgress: async (st) => {
          const p = st.progress;
          if (p.bytesTotal > 0) await ctx.progress(p.bytesDone / p.bytesTotal);
          else if (p.filesTotal > 0) await ctx.progress((p.filesCopied + p.filesSkipped) / p.filesTotal);
          const line = stateLine(st);
          if (line !== lastLine) await ctx.log(st.reason && st.phase === "pending" ? "warn" : "info", line);
          lastLine = line;
          if (polls++ % (opts.bucketEvery ?? 6) === 0 || st.phase === "succeeded") {
            const inBucket = await modelsInBucket(s3, s.bucketName, input.keyPrefix ?? "", { signal: ctx.signal }).catch(() => null);
            if (inBucket) await ctx.log("info", `The bucket holds ${inBucket.files} model(s), ${inBucket.bytes} bytes`);
          }
          await ctx.checkpoint({ job: st.name, phase: st.phase, progress: p, attempts: st.attempts });
        },
      });
      const final = await follow.catch(async (err: unknown) => {
        // Cancelling the run stops following, not the Job: say so, with the way to stop it too.
        if (ctx.signal.aborted)
          await ctx.log("warn", `Job ${launched.name} keeps running in the cluster; to stop it: kubectl delete job ${launched.name} -n ${s.namespace}`).catch(() => undefined);
        throw err;
      });
      const p = final.progress;
      const output = { job: final.name, phase: final.phase, attempts: final.attempts, progress: p, summary: stateLine(final) };
      if (final.phase === "failed")
        return { output, failure: `Job ${final.name} failed: ${final.reason ?? "see its log"}${p.failedKeys.length ? `; files not copied: ${p.failedKeys.join(", ")}` : ""}` };
      return { output };
    },
  };
}
