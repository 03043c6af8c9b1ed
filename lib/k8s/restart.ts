import "server-only";
// A rollout restart, the way `kubectl rollout restart` does it: stamp the pod template with
// `kubectl.kubernetes.io/restartedAt`, so the deployment rolls out new pods (which the webhook then hands the
// role's credentials). Asked of the cluster first (SelfSubjectAccessReview); without the right it is refused
// with the kubectl command an admin can run.
import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { k8sNameSchema, k8sNamespaceSchema } from "@/lib/config/aws-names";
import { missingRights, NoEditRightsError, RESTART_NEEDS } from "./access-review";
import type { ClusterConnection } from "./cluster";
import { kubeCall } from "./errors";

export const RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt";

export function restartCommand(namespace: string, deployment: string): string {
  return `kubectl rollout restart deployment/${deployment} -n ${namespace}`;
}

/** The strategic merge patch kubectl sends (RFC 3339 time, seconds precision). */
export function restartPatch(now: Date) {
  return { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: now.toISOString().replace(/\.\d{3}Z$/, "Z") } } } } };
}

export async function restartDeployment(
  conn: ClusterConnection,
  namespace: string,
  deployment: string,
  opts: { now?: Date; signal?: AbortSignal } = {},
): Promise<{ restartedAt: string }> {
  for (const [field, schema, value] of [["namespace", k8sNamespaceSchema, namespace], ["deployment", k8sNameSchema, deployment]] as const) {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new Error(`${field} ${parsed.error.issues[0].message}`);
  }
  const missing = await missingRights(conn, RESTART_NEEDS(namespace, deployment), opts.signal);
  if (missing.length) throw new NoEditRightsError(`restart deployment ${deployment}`, missing, [restartCommand(namespace, deployment)]);
  const patch = restartPatch(opts.now ?? new Date());
  await kubeCall(
    `restart deployment ${deployment} in namespace ${namespace}`,
    () =>
      conn.apps.patchNamespacedDeployment(
        { name: deployment, namespace, body: patch },
        setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
      ),
    { signal: opts.signal },
  );
  return { restartedAt: patch.spec.template.metadata.annotations[RESTARTED_AT_ANNOTATION] };
}
