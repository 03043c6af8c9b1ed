// A Studio namespace as the chart leaves it after a good `helm upgrade` with the console's values (IRSA), put
// into the API double. Tests break one thing at a time.
import { identityExpectations } from "@/lib/k8s/expectations";
import type { K8sApiDouble } from "@/tests/support/k8s-api-double";
import { testSettings } from "@/tests/support/settings";

export const NS = "rasa";
export const ACCOUNT = "111122223333";
export const RDS_ROLE = `arn:aws:iam::${ACCOUNT}:role/studio-staging-rds-role`;
export const S3_ROLE = `arn:aws:iam::${ACCOUNT}:role/studio-staging-s3-role`;

/** The role annotation was last changed by Helm at T0; the upgrade's migration ran at T1; pods started at T2. */
export const T0 = new Date("2026-05-01T10:00:00Z");
export const T1 = new Date("2026-05-01T10:00:05Z");
export const T2 = new Date("2026-05-01T10:01:00Z");

export const settings = testSettings({ storageSituation: "copy-from-pv" });

export const expectations = (extra: Partial<Parameters<typeof identityExpectations>[1]> = {}) =>
  identityExpectations(settings, { accountId: ACCOUNT, ...extra });

const helmManaged = (at: Date) => [
  {
    manager: "helm",
    operation: "Update",
    apiVersion: "v1",
    time: at.toISOString(),
    fieldsType: "FieldsV1",
    fieldsV1: { "f:metadata": { "f:annotations": { ".": {}, "f:eks.amazonaws.com/role-arn": {} }, "f:labels": {} } },
  },
];

/** Created a day before the role annotation was set (the upgrade that added it is `at`), unless `created` says otherwise. */
export function serviceAccount(name: string, role: string | undefined, at = T0, created = new Date(at.getTime() - 86_400_000)) {
  return {
    metadata: {
      name,
      creationTimestamp: created.toISOString(),
      labels: { "app.kubernetes.io/instance": "studio" },
      ...(role ? { annotations: { "eks.amazonaws.com/role-arn": role }, managedFields: helmManaged(at) } : {}),
    },
  };
}

const irsaEnv = (role: string) => [
  { name: "AWS_STS_REGIONAL_ENDPOINTS", value: "regional" },
  { name: "AWS_ROLE_ARN", value: role },
  { name: "AWS_WEB_IDENTITY_TOKEN_FILE", value: "/var/run/secrets/eks.amazonaws.com/serviceaccount/token" },
];

interface Workload {
  deployment: string;
  component: string;
  serviceAccount: string;
  role?: string;
  envFrom?: object[];
  env?: object[];
}

export const WORKLOADS: Workload[] = [
  { deployment: "studio-backend", component: "studio-backend", serviceAccount: "studio-backend", role: RDS_ROLE },
  { deployment: "studio-event-ingestion", component: "event-ingestion", serviceAccount: "studio-event-ingestion", role: RDS_ROLE },
  { deployment: "rasapro", component: "rasa", serviceAccount: "studio-model-service", role: S3_ROLE, envFrom: [{ configMapRef: { name: "shared-environment" } }] },
  { deployment: "studio-keycloak", component: "keycloak", serviceAccount: "default" },
];

export function deployment(w: Workload) {
  const labels = { "app.kubernetes.io/instance": "studio", "app.kubernetes.io/component": w.component };
  return {
    metadata: { name: w.deployment, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { serviceAccountName: w.serviceAccount, containers: [{ name: "main", image: "x", env: w.env ?? [], envFrom: w.envFrom }] },
      },
    },
  };
}

export function pod(w: Workload, opts: { created?: Date; injected?: boolean; suffix?: string } = {}) {
  const labels = { "app.kubernetes.io/instance": "studio", "app.kubernetes.io/component": w.component };
  const env = [...(w.env ?? []), ...(w.role && opts.injected !== false ? irsaEnv(w.role) : [])];
  return {
    metadata: { name: `${w.deployment}-${opts.suffix ?? "7d9f8-abcde"}`, labels, creationTimestamp: (opts.created ?? T2).toISOString() },
    spec: { serviceAccountName: w.serviceAccount, containers: [{ name: "main", image: "x", env, envFrom: w.envFrom }] },
    status: { phase: "Running", startTime: (opts.created ?? T2).toISOString() },
  };
}

/** Fills the double with the healthy namespace. */
export function healthyStudio(api: K8sApiDouble) {
  api.objects.clear();
  api.put("serviceaccounts", NS, serviceAccount("studio-backend", RDS_ROLE));
  api.put("serviceaccounts", NS, serviceAccount("studio-event-ingestion", RDS_ROLE));
  api.put("serviceaccounts", NS, serviceAccount("studio-model-service", S3_ROLE));
  // The hook account, recreated by the upgrade just before the migration job (which Helm deleted on success).
  api.put("serviceaccounts", NS, serviceAccount("studio-database-migration", RDS_ROLE, T1, T1));
  api.put("serviceaccounts", NS, serviceAccount("default", undefined, new Date("2025-01-01T00:00:00Z")));
  for (const w of WORKLOADS) {
    api.put("deployments", NS, deployment(w));
    api.put("pods", NS, pod(w));
  }
  api.put("configmaps", NS, { metadata: { name: "shared-environment" }, data: { RASA_TELEMETRY_ENABLED: "false", LOG_LEVEL: "INFO" } });
}

export function workload(name: string): Workload {
  return WORKLOADS.find((w) => w.deployment === name)!;
}
