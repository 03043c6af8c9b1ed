// How the console reaches Studio's cluster (optional: without it every other feature works), and how the models
// move when they leave the persistent volumes. Part of the wizard's storage page; lib/k8s/cluster.ts connects.
import { z } from "zod";

/**
 * `none`: the console never talks to the cluster (it prints kubectl commands instead). `eks`: endpoint and CA
 * from eks:DescribeCluster and a token signed from the console's AWS identity (`aws eks get-token`'s way); the
 * plan offers the EKS access entry it needs. `kubeconfig`: a kubeconfig file on the console's machine (a proxy,
 * another authenticator).
 */
export const CLUSTER_ACCESS = ["none", "eks", "kubeconfig"] as const;
export type ClusterAccess = (typeof CLUSTER_ACCESS)[number];

/**
 * Where the models come from when they are copied off the volumes: `cluster-job` (a Job in the cluster mounts the
 * claim, runs as the model service account) or `folder` (a folder on the console's machine: `kubectl cp` output
 * or a mounted volume, uploaded by the console).
 */
export const MODEL_COPY_SOURCES = ["cluster-job", "folder"] as const;
export type ModelCopySource = (typeof MODEL_COPY_SOURCES)[number];

/** An absolute path on the console's machine, without the characters that turn a path into something else. */
const absolutePathSchema = z
  .string()
  .trim()
  .max(4096, { error: "must be at most 4096 characters" })
  .regex(/^\/[^\0\n\r]*$/, { error: "must be an absolute path on the console's machine (starting with /)" });

export const clusterAccessShape = {
  clusterAccess: z.enum(CLUSTER_ACCESS, { error: "must be none, eks or kubeconfig" }).default("none"),
  kubeconfigPath: absolutePathSchema.optional(),
  kubeContext: z
    .string()
    .trim()
    .max(253, { error: "must be at most 253 characters" })
    .regex(/^[\x21-\x7e]+$/, { error: "must be a kubeconfig context name (printable characters, no spaces)" })
    .optional(),
  /** The admin wants the console to restart Studio's pods and run the copy Job: edit rights in the namespace. */
  clusterEditRights: z.boolean().default(false),
  modelCopySource: z.enum(MODEL_COPY_SOURCES, { error: "must be cluster-job or folder" }).default("cluster-job"),
  modelFolder: absolutePathSchema.optional(),
};

type Ctx = z.core.$RefinementCtx;

export function clusterAccessRules(
  s: { clusterAccess: ClusterAccess; kubeconfigPath?: string; storageSituation: string; modelCopySource: ModelCopySource; modelFolder?: string },
  ctx: Ctx,
) {
  if (s.clusterAccess === "kubeconfig" && !s.kubeconfigPath)
    ctx.addIssue({ code: "custom", path: ["kubeconfigPath"], message: "is required when the cluster is reached through a kubeconfig" });
  if (s.storageSituation === "copy-from-pv" && s.modelCopySource === "folder" && !s.modelFolder)
    ctx.addIssue({ code: "custom", path: ["modelFolder"], message: "is required when the models are uploaded from a folder" });
}
