// The settings of an environment as a definition list (review page and environment overview).
const LABELS: [key: string, label: string][] = [
  ["region", "Region"],
  ["clusterName", "EKS cluster"],
  ["dbKind", "Database kind"],
  ["dbIdentifier", "DB identifier"],
  ["databaseName", "Database"],
  ["iamDbUser", "IAM DB user"],
  ["schemas", "Schemas"],
  ["originalDbOwner", "Original DB user"],
  ["ownerAccess", "Owner access"],
  ["reassignOwned", "REASSIGN OWNED"],
  ["reassignConfirmDatabases", "REASSIGN may move"],
  ["defaultPrivileges", "Default privileges"],
  ["dbTls", "TLS"],
  ["bucketName", "Bucket"],
  ["bucketKmsKeyArn", "Bucket KMS key"],
  ["noncurrentVersionExpiryDays", "Noncurrent versions kept (days)"],
  ["storageSituation", "Models today"],
  ["modelCopySource", "Models copied by"],
  ["modelFolder", "Models folder"],
  ["clusterAccess", "Cluster access"],
  ["kubeconfigPath", "Kubeconfig"],
  ["kubeContext", "Kubeconfig context"],
  ["clusterEditRights", "Edit rights in the namespace"],
  ["chartProfile", "Chart"],
  ["eventIngestionMode", "Event ingestion"],
  ["namespace", "Namespace"],
  ["backendServiceAccount", "Backend SA"],
  ["eventIngestionServiceAccount", "Event ingestion SA"],
  ["migrationServiceAccount", "Migration job SA"],
  ["modelServiceAccount", "Model service SA"],
  ["identityMode", "Pods get roles by"],
  ["trustScope", "Trust scope"],
  ["rdsRoleName", "RDS role"],
  ["s3RoleName", "S3 role"],
  ["rolePath", "Role path"],
  ["permissionsBoundaryArn", "Permissions boundary"],
];

function show(v: unknown): string {
  if (v === undefined || v === null || v === "") return "—";
  if (Array.isArray(v)) return v.join(", ");
  if (typeof v === "boolean") return v ? "yes" : "no";
  return String(v);
}

export function SettingsSummary({ values }: { values: Record<string, unknown> }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
      {LABELS.map(([key, label]) => (
        <div key={key} className="contents">
          <dt className="font-medium text-slate-700 dark:text-slate-300">{label}</dt>
          <dd className="font-mono break-all" data-testid={`summary-${key}`}>
            {show(values[key])}
          </dd>
        </div>
      ))}
    </dl>
  );
}
