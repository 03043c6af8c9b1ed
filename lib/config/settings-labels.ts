// Every setting of an environment as people read it: grouped like the wizard's pages, each with its human label
// and its value in words ("Aurora DB cluster", not `cluster`). The review page and the environment overview
// render these; a test checks that every field of the settings schema is here, so none is left off the review.
import type { WizardStep } from "./environment";
import { CHART_PROFILE_CHOICES } from "../helm/profiles";

type Show = (v: unknown, all: Record<string, unknown>) => string;

export interface SettingLine {
  key: string;
  label: string;
  show?: Show;
}

const words =
  (map: Record<string, string>): Show =>
  (v) =>
    map[String(v)] ?? String(v);

export const SETTINGS_GROUPS: { page: Exclude<WizardStep, "review">; title: string; lines: SettingLine[] }[] = [
  {
    page: "account",
    title: "AWS account and cluster",
    lines: [
      { key: "name", label: "Environment" },
      { key: "region", label: "AWS region" },
      { key: "clusterName", label: "EKS cluster" },
    ],
  },
  {
    page: "database",
    title: "Database",
    lines: [
      { key: "dbKind", label: "Database kind", show: words({ instance: "RDS DB instance", cluster: "Aurora DB cluster" }) },
      { key: "dbIdentifier", label: "DB instance or cluster identifier" },
      { key: "databaseName", label: "Database name" },
      { key: "iamDbUser", label: "IAM database user" },
      { key: "schemas", label: "Schemas" },
      { key: "originalDbOwner", label: "Original database user", show: (v) => (v ? String(v) : "Not given (no membership, no REASSIGN)") },
      {
        key: "ownerAccess",
        label: "How the IAM user may change the original user's tables",
        show: words({ membership: "Member of the original user's role", "grants-only": "Table privileges only" }),
      },
      { key: "reassignOwned", label: "Transfer ownership (REASSIGN OWNED)" },
      { key: "reassignConfirmDatabases", label: "Other databases REASSIGN may move", show: (v) => (Array.isArray(v) && v.length ? v.join(", ") : "None") },
      { key: "defaultPrivileges", label: "Default privileges both ways for later tables" },
      {
        key: "dbHostOverride",
        label: "Address the console connects to",
        show: (v, all) =>
          v ? `${String(v)}:${all.dbPortOverride ?? "(the RDS port)"} (host/port override)` : "The endpoint RDS reports" + (all.dbPortOverride ? `, port ${String(all.dbPortOverride)}` : ""),
      },
      { key: "dbPortOverride", label: "Port override", show: (v) => (v === undefined || v === null || v === "" ? "None (the port RDS reports)" : String(v)) },
      { key: "dbTls", label: "TLS to the database", show: words({ "verify-full": "Verified TLS (verify-full)", disable: "Off: no TLS (not recommended)" }) },
      {
        key: "dbCaBundle",
        label: "CA bundle",
        show: (v) => {
          const n = typeof v === "string" ? (v.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length : 0;
          return n ? `Pasted bundle (${n} certificate${n === 1 ? "" : "s"})` : "The RDS CA bundles (default)";
        },
      },
      { key: "rdsWaitTimeoutMinutes", label: "Wait for RDS to apply IAM authentication", show: (v) => (v ? `${String(v)} minutes` : "20 minutes") },
    ],
  },
  {
    page: "storage",
    title: "Model storage",
    lines: [
      { key: "bucketName", label: "Bucket name" },
      {
        key: "storageSituation",
        label: "Where the models are today",
        show: words({
          "already-s3": "Already on S3",
          "copy-from-pv": "On persistent volumes: copy them to S3",
          retrain: "On persistent volumes: retrain all active assistants",
        }),
      },
      {
        key: "bucketKmsKeyArn",
        label: "Bucket encryption",
        show: (v) => (v ? `SSE-KMS with customer key ${String(v)}` : "SSE-S3 (AES-256); a bucket already on SSE-KMS keeps its key"),
      },
      { key: "noncurrentVersionExpiryDays", label: "Noncurrent model versions kept", show: (v) => `${String(v ?? 30)} days` },
      {
        key: "clusterAccess",
        label: "How the console reaches the cluster",
        show: words({ none: "It does not (no cluster checks or copy runs)", eks: "The EKS API with the console's AWS identity", kubeconfig: "A kubeconfig file" }),
      },
      { key: "kubeconfigPath", label: "Kubeconfig file" },
      { key: "kubeContext", label: "Kubeconfig context", show: (v) => (v ? String(v) : "Its current context") },
      { key: "clusterEditRights", label: "Edit rights in the namespace (restart pods, run the copy Job)" },
      {
        key: "modelCopySource",
        label: "How the models are copied",
        show: words({ "cluster-job": "A Kubernetes Job in the cluster", folder: "Uploaded from a folder on the console's machine" }),
      },
      { key: "modelFolder", label: "Models folder" },
    ],
  },
  {
    page: "helm",
    title: "Service accounts and Helm",
    lines: [
      { key: "namespace", label: "Kubernetes namespace" },
      { key: "releaseName", label: "Helm release name" },
      { key: "chartProfile", label: "Studio Helm chart", show: words(Object.fromEntries(CHART_PROFILE_CHOICES.map((c) => [c.id, c.label]))) },
      {
        key: "eventIngestionMode",
        label: "Event ingestion",
        show: words({ colocated: "Inside the app pod (colocated)", separate: "Its own pod and service account (separate)", disabled: "Disabled" }),
      },
      {
        key: "customPaths",
        label: "Custom value paths",
        show: (v) =>
          v && typeof v === "object"
            ? Object.entries(v as Record<string, string>)
                .map(([k, p]) => `${k}: ${p}`)
                .join("; ")
            : "Not used (the chart profile knows the paths)",
      },
      { key: "backendServiceAccount", label: "Backend service account" },
      { key: "eventIngestionServiceAccount", label: "Event ingestion service account" },
      { key: "migrationServiceAccount", label: "DB migration job service account" },
      { key: "modelServiceAccount", label: "Model service account" },
      {
        key: "identityMode",
        label: "How pods get their roles",
        show: words({ irsa: "IRSA: IAM roles for service accounts", "pod-identity": "EKS Pod Identity" }),
      },
      {
        key: "trustScope",
        label: "Who may assume the roles",
        show: words({
          "service-accounts": "Only Studio's service accounts",
          namespace: "Any service account in the namespace",
          cluster: "Any pod in the cluster (the guide's policy)",
        }),
      },
      { key: "rdsRoleName", label: "RDS role name" },
      { key: "s3RoleName", label: "S3 role name" },
      { key: "rolePath", label: "Role path", show: (v) => (v ? String(v) : "/ (none)") },
      { key: "permissionsBoundaryArn", label: "Permissions boundary", show: (v) => (v ? String(v) : "None") },
    ],
  },
];

/** A setting's value in words; empty values say so. */
export function showSetting(line: SettingLine, values: Record<string, unknown>): string {
  const v = values[line.key];
  if (line.show) return line.show(v, values);
  if (v === undefined || v === null || v === "") return "—";
  if (Array.isArray(v)) return v.join(", ");
  if (typeof v === "boolean") return v ? "Yes" : "No";
  return String(v);
}
