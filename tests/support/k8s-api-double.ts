// Vitest wiring of the Kubernetes API double (./k8s-api-server.ts): one double per test file and the console's
// EKS connection to it.
import { afterAll, beforeAll } from "vitest";
import { connectWithEksToken, type ClusterConnection } from "@/lib/k8s/cluster";
import { K8sApiDouble } from "./k8s-api-server";

export * from "./k8s-api-server";

/** The console's EKS connection to a started double: its URL as the endpoint, its CA as the cluster CA. */
export function connectToDouble(api: K8sApiDouble, token: () => Promise<string> = async () => "k8s-aws-v1.test"): ClusterConnection {
  return connectWithEksToken({ clusterName: "studio-eks", region: "eu-west-1", endpoint: api.url, certificateAuthorityData: api.tls.caData }, token);
}

/** One double per test file, started before its tests and stopped after; `conn` is the console's connection to it. */
export function k8sDoublePerFile() {
  const api = new K8sApiDouble();
  const state = { conn: null as ClusterConnection | null };
  beforeAll(async () => {
    await api.start();
    state.conn = connectToDouble(api);
  });
  afterAll(() => api.stop());
  return {
    api,
    get conn(): ClusterConnection {
      if (!state.conn) throw new Error("the Kubernetes API double is not started yet");
      return state.conn;
    },
  };
}
