// The cluster checks, read through the real @kubernetes/client-node from the API double: the healthy namespace
// passes everything, and each check fails (or is not checkable, with the reason) when its one thing is broken.
import { beforeEach, describe, expect, it } from "vitest";
import { checkStudioIdentity, type ClusterCheck } from "@/lib/k8s/checks";
import { migrationJobName } from "@/lib/k8s/expectations";
import { readStudioWorkloads } from "@/lib/k8s/reader";
import { k8sDoublePerFile, VIEW_RIGHTS } from "@/tests/support/k8s-api-double";
import { ACCOUNT, expectations, healthyStudio, NS, pod, RDS_ROLE, S3_ROLE, serviceAccount, settings, T0, T1, T2, workload } from "./studio-fixture";

const double = k8sDoublePerFile();
const api = double.api;
beforeEach(() => {
  healthyStudio(api);
  api.rights = new Set(VIEW_RIGHTS);
});

const JOB = migrationJobName(settings)!;

async function run(extra: Parameters<typeof expectations>[0] = {}): Promise<Record<string, ClusterCheck>> {
  const w = await readStudioWorkloads(double.conn, { namespace: NS, migrationJobName: JOB });
  return Object.fromEntries(checkStudioIdentity(w, expectations(extra)).map((c) => [c.id, c]));
}

function statuses(checks: Record<string, ClusterCheck>) {
  return Object.fromEntries(Object.entries(checks).map(([id, c]) => [id, c.status]));
}

describe("cluster checks (IRSA)", () => {
  it("a healthy upgrade passes every check", async () => {
    const checks = await run();
    expect(JOB).toBe("studio-database-migration");
    expect(statuses(checks)).toEqual({
      "service-account:studio-backend": "passed",
      "service-account:studio-event-ingestion": "passed",
      "service-account:studio-database-migration": "passed",
      "service-account:studio-model-service": "passed",
      "restart:studio-backend": "passed",
      "env:studio-backend": "passed",
      "restart:studio-event-ingestion": "passed",
      "env:studio-event-ingestion": "passed",
      "restart:rasapro": "passed",
      "env:rasapro": "passed",
      "migration-job": "passed",
      "static-keys": "passed",
    });
    expect(checks["service-account:studio-model-service"].detail).toBe(`eks.amazonaws.com/role-arn: ${S3_ROLE}`);
    expect(checks["restart:rasapro"].detail).toBe("1 pod(s), all created after 2026-05-01T10:00:00Z");
    expect(checks["migration-job"].detail).toMatch(/Helm deletes the job when it succeeds.*recreated studio-database-migration at 2026-05-01T10:00:05Z/);
    // Only reads: the checks change nothing in the cluster.
    expect(api.requests.filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("a service account that is missing, unannotated or on the wrong role fails", async () => {
    api.delete("serviceaccounts", NS, "studio-event-ingestion");
    api.put("serviceaccounts", NS, serviceAccount("studio-backend", undefined));
    api.put("serviceaccounts", NS, serviceAccount("studio-model-service", RDS_ROLE));
    const checks = await run();
    expect(checks["service-account:studio-event-ingestion"]).toMatchObject({ status: "failed", detail: expect.stringMatching(/^not found in namespace rasa/) });
    expect(checks["service-account:studio-backend"]).toMatchObject({ status: "failed", detail: `has no eks.amazonaws.com/role-arn annotation (expected ${RDS_ROLE})` });
    expect(checks["service-account:studio-model-service"]).toMatchObject({ status: "failed", detail: `eks.amazonaws.com/role-arn is ${RDS_ROLE}, expected ${S3_ROLE}` });
  });

  it("a pod created before the role change needs a restart (the time comes from the annotation's managed fields)", async () => {
    api.put("pods", NS, pod(workload("studio-backend"), { created: new Date(T0.getTime() - 60_000), suffix: "old-pod" }));
    const checks = await run();
    expect(checks["restart:studio-backend"]).toMatchObject({
      status: "failed",
      restartDeployment: "studio-backend",
      detail: "restart needed: studio-backend-old-pod (created 2026-05-01T09:59:00Z) predate the role change at 2026-05-01T10:00:00Z",
    });
    expect(checks["restart:rasapro"].status).toBe("passed");
  });

  it("without a timestamp in the cluster the console's own record of the change is used, and without either it is not checkable", async () => {
    // A service account whose annotation no managed-fields entry owns, created before the pods.
    api.put("serviceaccounts", NS, { metadata: { name: "studio-backend", annotations: { "eks.amazonaws.com/role-arn": RDS_ROLE } } });
    api.get("serviceaccounts", NS, "studio-backend").metadata.creationTimestamp = undefined;
    expect((await run())["restart:studio-backend"]).toMatchObject({ status: "not-checkable", detail: expect.stringContaining("unknown") });
    expect((await run({ roleChangedAt: new Date(T2.getTime() + 1000) }))["restart:studio-backend"]).toMatchObject({ status: "failed", restartDeployment: "studio-backend" });
  });

  it("a pod without the injected web-identity env fails, and so does one with another role", async () => {
    api.put("pods", NS, pod(workload("rasapro"), { injected: false }));
    const w = workload("studio-backend");
    api.put("pods", NS, pod({ ...w, role: S3_ROLE }));
    const checks = await run();
    expect(checks["env:rasapro"]).toMatchObject({ status: "failed", detail: expect.stringMatching(/^rasapro-7d9f8-abcde\/main has no AWS_ROLE_ARN\/AWS_WEB_IDENTITY_TOKEN_FILE\. .*restart/) });
    expect(checks["env:studio-backend"].detail).toContain(`has AWS_ROLE_ARN ${S3_ROLE}, expected ${RDS_ROLE}`);
  });

  it("no pods running is not checkable, with the reason", async () => {
    api.delete("pods", NS, "rasapro-7d9f8-abcde");
    const checks = await run();
    expect(checks["restart:rasapro"]).toMatchObject({ status: "not-checkable", detail: "no running pods (replicas: 1)" });
    expect(checks["env:rasapro"].status).toBe("not-checkable");
  });

  it("the migration job: failed, still running, before the cutover, not run with the role, or gone after success", async () => {
    const job = (status: object, created = T1) =>
      api.put("jobs", NS, {
        metadata: { name: JOB, creationTimestamp: created.toISOString() },
        spec: { template: { spec: { serviceAccountName: "studio-database-migration", containers: [{ name: "m", image: "x" }] } } },
        status,
      });
    job({ failed: 1, conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" }] });
    expect((await run())["migration-job"]).toMatchObject({ status: "failed", detail: expect.stringMatching(/^failed \(BackoffLimitExceeded: Job has reached/) });

    job({ active: 1 });
    expect((await run())["migration-job"].status).toBe("not-checkable");

    job({ succeeded: 1, completionTime: T2.toISOString(), conditions: [{ type: "Complete", status: "True" }] });
    expect((await run())["migration-job"]).toMatchObject({ status: "passed", detail: "completed at 2026-05-01T10:01:00Z as studio-database-migration" });
    expect((await run({ cutoverAt: T2 }))["migration-job"]).toMatchObject({ status: "failed", detail: expect.stringContaining("before the cutover") });

    api.delete("jobs", NS, JOB);
    api.put("serviceaccounts", NS, serviceAccount("studio-database-migration", undefined, T1, T1));
    expect((await run())["migration-job"]).toMatchObject({ status: "failed", detail: expect.stringContaining("without the role") });
    api.delete("serviceaccounts", NS, "studio-database-migration");
    expect((await run())["migration-job"]).toMatchObject({ status: "failed", detail: expect.stringMatching(/^no job and no studio-database-migration/) });
  });

  it("a static AWS key in a container's env, or in a config map it takes env from, fails; values are never reported", async () => {
    const backend = workload("studio-backend");
    api.put("pods", NS, pod({ ...backend, env: [{ name: "AWS_ACCESS_KEY_ID", value: "AKIAIOSFODNN7EXAMPLE" }] }));
    api.put("configmaps", NS, { metadata: { name: "shared-environment" }, data: { AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG" } });
    const check = (await run())["static-keys"];
    expect(check.status).toBe("failed");
    expect(check.detail).toContain("pod studio-backend-7d9f8-abcde/main: AWS_ACCESS_KEY_ID");
    expect(check.detail).toContain("AWS_SECRET_ACCESS_KEY from config map shared-environment");
    expect(check.detail).not.toMatch(/AKIAIOSFODNN7EXAMPLE|wJalrXUtnFEMI/);
  });

  it("env from a secret cannot be seen: not checkable, naming the secret", async () => {
    const keycloak = workload("studio-keycloak");
    api.put("pods", NS, pod({ ...keycloak, envFrom: [{ secretRef: { name: "keycloak-env" } }] }));
    expect((await run())["static-keys"]).toMatchObject({ status: "not-checkable", detail: expect.stringContaining("takes env from secret keycloak-env") });
  });

  it("without the right to list pods, the pod checks are not checkable and say why", async () => {
    api.rights.delete("list pods");
    const checks = await run();
    expect(checks["restart:studio-backend"]).toMatchObject({ status: "not-checkable", detail: expect.stringMatching(/^list pods in namespace rasa: the console's identity is not allowed/) });
    expect(checks["service-account:studio-backend"].status).toBe("passed");
  });
});

describe("cluster checks (EKS Pod Identity)", () => {
  const assoc = (serviceAccount: string, roleArn: string) => ({ namespace: NS, serviceAccount, roleArn, modifiedAt: T0 });
  const associations = [
    assoc("studio-backend", RDS_ROLE),
    assoc("studio-event-ingestion", RDS_ROLE),
    assoc("studio-database-migration", RDS_ROLE),
    assoc("studio-model-service", S3_ROLE),
  ];

  beforeEach(() => {
    // Pod identity: no annotations; the agent's env in every pod.
    for (const name of ["studio-backend", "studio-event-ingestion", "studio-model-service"]) api.put("serviceaccounts", NS, serviceAccount(name, undefined));
    api.put("serviceaccounts", NS, serviceAccount("studio-database-migration", undefined, T1, T1));
    for (const name of ["studio-backend", "studio-event-ingestion", "rasapro"]) {
      const w = workload(name);
      api.put("pods", NS, pod({ ...w, role: undefined, env: [
        { name: "AWS_CONTAINER_CREDENTIALS_FULL_URI", value: "http://169.254.170.23/v1/credentials" },
        { name: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", value: "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token" },
      ] }));
    }
  });

  it("associations and the agent's env pass", async () => {
    const checks = await run({ mode: "pod-identity", associations });
    expect(Object.values(checks).filter((c) => c.status !== "passed")).toEqual([]);
    expect(checks["service-account:studio-model-service"].detail).toBe(`Pod Identity association to ${S3_ROLE}`);
  });

  it("a missing association, one to the wrong role, or pods started before it fail", async () => {
    const checks = await run({
      mode: "pod-identity",
      associations: [assoc("studio-backend", S3_ROLE), assoc("studio-database-migration", RDS_ROLE), { ...assoc("studio-model-service", S3_ROLE), modifiedAt: new Date(T2.getTime() + 1) }],
    });
    expect(checks["service-account:studio-event-ingestion"]).toMatchObject({ status: "failed", detail: `no EKS Pod Identity association for rasa/studio-event-ingestion (expected one to ${RDS_ROLE})` });
    expect(checks["service-account:studio-backend"].detail).toBe(`the Pod Identity association gives ${S3_ROLE}, expected ${RDS_ROLE}`);
    expect(checks["restart:rasapro"]).toMatchObject({ status: "failed", restartDeployment: "rasapro" });
  });

  it("an IRSA annotation to another role next to the association fails: the SDK would use it first", async () => {
    api.put("serviceaccounts", NS, serviceAccount("studio-backend", `arn:aws:iam::${ACCOUNT}:role/old-role`));
    const checks = await run({ mode: "pod-identity", associations });
    expect(checks["service-account:studio-backend"]).toMatchObject({ status: "failed", detail: expect.stringContaining("would be used first") });
  });
});
