// Reaching the cluster through the real @kubernetes/client-node against the API double: the EKS way (endpoint and
// CA as DescribeCluster gives them, a bearer token on every request), the kubeconfig alternative, and the three
// ways it goes wrong (wrong CA, identity not accepted, nothing listening).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DescribeClusterCommand, EKSClient } from "@aws-sdk/client-eks";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetAwsClients } from "@/lib/aws/clients";
import { connectToCluster, connectWithEksToken, connectWithKubeconfig, describeEksEndpoint, kubeconfigFromEnv } from "@/lib/k8s/cluster";
import { EKS_TOKEN_PREFIX } from "@/lib/k8s/eks-token";
import { kubeCall, KubeCallError } from "@/lib/k8s/errors";
import { K8sApiDouble, makeTls } from "@/tests/support/k8s-api-double";

const api = new K8sApiDouble();
beforeAll(async () => {
  await api.start();
  api.put("pods", "rasa", { metadata: { name: "p1" }, spec: { containers: [] }, status: { phase: "Running" } });
});
afterAll(() => api.stop());

function eks(token = async () => "k8s-aws-v1.test", caData = api.tls.caData) {
  return connectWithEksToken({ clusterName: "studio-eks", region: "eu-west-1", endpoint: api.url, certificateAuthorityData: caData }, token);
}

describe("cluster connection", () => {
  it("EKS: verifies the server with the cluster CA and sends a fresh bearer token on every request", async () => {
    let n = 0;
    const conn = eks(async () => `k8s-aws-v1.token-${++n}`);
    expect(conn.source).toBe("eks");
    const pods = await kubeCall("list pods", () => conn.core.listNamespacedPod({ namespace: "rasa" }));
    expect(pods.items.map((p) => p.metadata?.name)).toEqual(["p1"]);
    await conn.core.listNamespacedPod({ namespace: "rasa" });
    expect(api.calls("GET", "/pods").slice(-2).map((r) => r.authorization)).toEqual(["Bearer k8s-aws-v1.token-1", "Bearer k8s-aws-v1.token-2"]);
  });

  it("EKS end to end: DescribeCluster's endpoint and CA, a token signed from the default credential chain for that cluster", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "secret");
    vi.stubEnv("AWS_ENDPOINT_URL", "");
    resetAwsClients();
    const eks = mockClient(EKSClient);
    eks.on(DescribeClusterCommand, { name: "studio-eks" }).resolves({
      cluster: {
        name: "studio-eks",
        status: "ACTIVE",
        endpoint: api.url,
        certificateAuthority: { data: api.tls.caData },
        accessConfig: { authenticationMode: "API_AND_CONFIG_MAP" },
        resourcesVpcConfig: { endpointPublicAccess: true },
      },
    });
    const seen: string[] = [];
    api.acceptToken = (t) => (seen.push(t), t.startsWith(EKS_TOKEN_PREFIX));
    try {
      expect(await describeEksEndpoint("eu-west-1", "studio-eks")).toMatchObject({ authenticationMode: "API_AND_CONFIG_MAP", endpointPublicAccess: true });
      const conn = await connectToCluster({ region: "eu-west-1", clusterName: "studio-eks" }, { kubeconfig: null });
      expect(conn).toMatchObject({ source: "eks", server: api.url });
      await conn.core.listNamespacedPod({ namespace: "rasa" });
      const url = new URL(Buffer.from(seen.at(-1)!.slice(EKS_TOKEN_PREFIX.length), "base64url").toString());
      expect(url.host).toBe("sts.eu-west-1.amazonaws.com");
      expect(url.searchParams.get("X-Amz-Credential")).toMatch(/^AKIDEXAMPLE\//);
      expect(url.searchParams.get("X-Amz-SignedHeaders")).toBe("host;x-k8s-aws-id");

      eks.on(DescribeClusterCommand, { name: "creating" }).resolves({ cluster: { name: "creating", status: "CREATING" } });
      await expect(describeEksEndpoint("eu-west-1", "creating")).rejects.toThrow("EKS cluster creating has no API endpoint or CA yet (status CREATING): wait until it is ACTIVE");
    } finally {
      eks.restore();
      api.acceptToken = (t) => t.length > 0;
      resetAwsClients();
      vi.unstubAllEnvs();
    }
  });

  it("EKS: a server whose certificate is not from the cluster CA is refused", async () => {
    const conn = eks(undefined, makeTls().caData);
    const err = await kubeCall("list pods in namespace rasa", () => conn.core.listNamespacedPod({ namespace: "rasa" })).catch((e) => e);
    expect(err).toBeInstanceOf(KubeCallError);
    expect(err.kind).toBe("unreachable");
    expect(err.message).toMatch(/^list pods in namespace rasa: .*TLS/);
  });

  it("a token the cluster does not accept is reported as an identity problem", async () => {
    api.acceptToken = (t) => t === "k8s-aws-v1.good";
    try {
      const err = await kubeCall("list pods in namespace rasa", () => eks(async () => "k8s-aws-v1.bad").core.listNamespacedPod({ namespace: "rasa" })).catch((e) => e);
      expect(err.kind).toBe("unauthorized");
      expect(err.status).toBe(401);
      expect(err.message).toContain("access entry");
    } finally {
      api.acceptToken = (t) => t.length > 0;
    }
  });

  it("nothing listening is reported as unreachable", async () => {
    const conn = connectWithEksToken(
      { clusterName: "c", region: "eu-west-1", endpoint: "https://127.0.0.1:1", certificateAuthorityData: api.tls.caData },
      async () => "t",
    );
    const err = await kubeCall("list pods", () => conn.core.listNamespacedPod({ namespace: "rasa" })).catch((e) => e);
    expect(err.kind).toBe("unreachable");
  });

  it("kubeconfig: a file and context, with the context's namespace and token", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeconfig-"));
    const file = path.join(dir, "config");
    fs.writeFileSync(
      file,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        `- name: double\n  cluster:\n    server: ${api.url}\n    certificate-authority-data: ${api.tls.caData}`,
        "users:",
        "- name: admin\n  user:\n    token: from-kubeconfig",
        "contexts:",
        "- name: other\n  context:\n    cluster: double\n    user: admin",
        "- name: studio\n  context:\n    cluster: double\n    user: admin\n    namespace: rasa",
        "current-context: other",
      ].join("\n"),
    );
    try {
      expect(kubeconfigFromEnv({ CONSOLE_KUBECONFIG: file, CONSOLE_KUBE_CONTEXT: "studio" })).toEqual({ path: file, context: "studio" });
      expect(kubeconfigFromEnv({})).toBeNull();
      const conn = await connectToCluster({ region: "eu-west-1", clusterName: "ignored" }, { kubeconfig: { path: file, context: "studio" } });
      expect(conn).toMatchObject({ source: "kubeconfig", server: api.url, contextNamespace: "rasa" });
      await conn.core.listNamespacedPod({ namespace: "rasa" });
      expect(api.requests.at(-1)!.authorization).toBe("Bearer from-kubeconfig");
      expect(() => connectWithKubeconfig({ path: file, context: "nope" })).toThrow(/context "nope" does not exist \(contexts: other, studio\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a call that gets no answer in time fails with a timeout, and a cancelled one stops waiting", async () => {
    const never = () => new Promise<never>(() => {});
    await expect(kubeCall("list pods", never, { timeoutMs: 5 })).rejects.toMatchObject({ kind: "timeout" });
    const ac = new AbortController();
    const waiting = kubeCall("list pods", never, { signal: ac.signal, timeoutMs: 60_000 });
    ac.abort(new Error("cancelled by the admin"));
    await expect(waiting).rejects.toThrow("cancelled by the admin");
  });
});
