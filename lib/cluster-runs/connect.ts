import "server-only";
// The cluster connection an environment's settings ask for: none (refused with what to choose instead), the EKS
// API (DescribeCluster and a token from the console's AWS identity), or the kubeconfig file and context named in
// the wizard. Runs take a `connect` function so tests hand them the Kubernetes API double.
import type { EnvironmentSettings } from "@/lib/config/environment";
import { connectToCluster, type ClusterConnection } from "@/lib/k8s/cluster";

export type Connect = () => Promise<ClusterConnection>;

export class NoClusterAccessError extends Error {
  constructor() {
    super("clusterAccess is none: choose the EKS API or a kubeconfig on the wizard's storage page, or use the kubectl commands shown");
    this.name = "NoClusterAccessError";
  }
}

export function connectFor(s: Pick<EnvironmentSettings, "region" | "clusterName" | "clusterAccess" | "kubeconfigPath" | "kubeContext">, signal?: AbortSignal): Connect {
  return async () => {
    if (s.clusterAccess === "none") throw new NoClusterAccessError();
    const kubeconfig = s.clusterAccess === "kubeconfig" ? { path: s.kubeconfigPath, context: s.kubeContext } : null;
    return connectToCluster({ region: s.region, clusterName: s.clusterName }, { kubeconfig, cx: { signal } });
  };
}
