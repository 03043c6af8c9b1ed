import "server-only";
// Reads what the checks look at, in Studio's namespace: service accounts, deployments, pods, the migration job
// and the ConfigMaps containers take env from. Each read succeeds or fails on its own, so a missing right
// (say, no `list pods`) makes only the checks that need it "not checkable", with the reason.
import type { V1ConfigMap, V1Deployment, V1Job, V1Pod, V1ServiceAccount } from "@kubernetes/client-node";
import type { ClusterConnection } from "./cluster";
import { kubeCall, kubeFind, KubeCallError, type KubeErrorKind } from "./errors";

export type Read<T> = { ok: true; value: T } | { ok: false; kind: KubeErrorKind; why: string };

export interface StudioWorkloads {
  namespace: string;
  readAt: Date;
  serviceAccounts: Read<V1ServiceAccount[]>;
  deployments: Read<V1Deployment[]>;
  pods: Read<V1Pod[]>;
  /** `null` value: no such job (Helm deletes the migration job once it succeeds). */
  migrationJob: Read<V1Job | null>;
  /** ConfigMaps named in containers' `envFrom`, by name (`null`: it does not exist). */
  configMaps: Record<string, Read<V1ConfigMap | null>>;
}

async function attempt<T>(run: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    if (err instanceof KubeCallError) return { ok: false, kind: err.kind, why: err.message };
    throw err;
  }
}

export interface ReadOptions {
  namespace: string;
  migrationJobName: string;
  signal?: AbortSignal;
}

export async function readStudioWorkloads(conn: ClusterConnection, opts: ReadOptions): Promise<StudioWorkloads> {
  const { namespace, signal } = opts;
  const o = { signal };
  const [serviceAccounts, deployments, pods, migrationJob] = await Promise.all([
    attempt(async () => (await kubeCall(`list service accounts in namespace ${namespace}`, () => conn.core.listNamespacedServiceAccount({ namespace }), o)).items),
    attempt(async () => (await kubeCall(`list deployments in namespace ${namespace}`, () => conn.apps.listNamespacedDeployment({ namespace }), o)).items),
    attempt(async () => (await kubeCall(`list pods in namespace ${namespace}`, () => conn.core.listNamespacedPod({ namespace }), o)).items),
    attempt(() =>
      kubeFind(`read job ${opts.migrationJobName} in namespace ${namespace}`, () => conn.batch.readNamespacedJob({ name: opts.migrationJobName, namespace }), o),
    ),
  ]);
  const names = new Set<string>();
  for (const spec of [
    ...(pods.ok ? pods.value.map((p) => p.spec) : []),
    ...(deployments.ok ? deployments.value.map((d) => d.spec?.template.spec) : []),
  ])
    for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])])
      for (const from of c.envFrom ?? []) if (from.configMapRef?.name) names.add(from.configMapRef.name);
  const configMaps: StudioWorkloads["configMaps"] = {};
  await Promise.all(
    [...names].map(async (name) => {
      configMaps[name] = await attempt(() =>
        kubeFind(`read config map ${name} in namespace ${namespace}`, () => conn.core.readNamespacedConfigMap({ name, namespace }), o),
      );
    }),
  );
  return { namespace, readAt: new Date(), serviceAccounts, deployments, pods, migrationJob, configMaps };
}
