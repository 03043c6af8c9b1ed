// Guide step 4 as edits on a YAML document: the same edits build a fresh values.yaml (render) and change a
// pasted one in place (merge), so both always set the same keys. Only nodes on the console's paths are touched;
// a node that already exists is updated in place so its comments and position stay.
import { isMap, Scalar, type Document } from "yaml";
import { partitionOf } from "@/lib/config/aws-names";
import type { EnvironmentSettings } from "@/lib/config/environment";
import { profileFor, type EnvEntry } from "./profiles";
import type { ValuesContext } from "./safeguards";
import { ValuesEditor, type SourceInfo } from "./values-editor";

export interface RoleArns {
  rdsRoleArn: string;
  s3RoleArn: string;
}

/** The annotation the EKS pod identity webhook reads to hand a pod the role's web-identity credentials. */
export const ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";

export type ValuesSettings = Pick<
  EnvironmentSettings,
  | "region"
  | "databaseName"
  | "namespace"
  | "iamDbUser"
  | "bucketName"
  | "chartProfile"
  | "customPaths"
  | "backendServiceAccount"
  | "eventIngestionServiceAccount"
  | "migrationServiceAccount"
  | "modelServiceAccount"
  | "identityMode"
> &
  Partial<Pick<EnvironmentSettings, "eventIngestionMode">>;

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** Sets every key guide step 4 needs, at the environment's chart-profile paths. */
export function applyValues(doc: Document, settings: ValuesSettings, arns: RoleArns, source: SourceInfo, context: ValuesContext = {}): void {
  assertRoleArns(settings.region, arns);
  const profile = profileFor(settings);
  const { paths } = profile;
  const edit = new ValuesEditor(doc, source);

  const db = edit.map(paths.databaseConfig, [
    ` IAM database authentication: the backend, event ingestion and DB migration job connect as ${settings.iamDbUser}`,
    ` with short-lived IAM tokens instead of the password. useAwsIamAuth is the string "true" (the chart's type).`,
  ]);
  edit.scalar(db, "useAwsIamAuth", "true", Scalar.QUOTE_DOUBLE);
  edit.scalar(db, "awsRegion", settings.region);
  edit.scalar(db, "iamDbUsername", settings.iamDbUser);
  // The token is signed for this host and port: the RDS endpoint itself (the chart types both as strings).
  if (context.dbEndpoint) edit.scalar(db, "host", context.dbEndpoint, Scalar.QUOTE_DOUBLE);
  if (context.dbEndpoint && context.dbPort) edit.scalar(db, "port", String(context.dbPort), Scalar.QUOTE_DOUBLE);

  const podIdentity = settings.identityMode === "pod-identity";
  // Only the service accounts this chart reads: a block at a path the chart ignores would look right and do nothing.
  for (const sa of profile.serviceAccounts) {
    const name = settings[sa.nameField];
    const [role, arn] = sa.role === "rds" ? ["RDS", arns.rdsRoleArn] : ["S3", arns.s3RoleArn];
    const purpose = profile.purposes[sa.path] ?? sa.purpose;
    const block = edit.map(
      paths[sa.path],
      podIdentity
        ? [
            ` ${purpose}: gets the ${role} role from its EKS pod identity association (no annotation).`,
            ` Created with this exact name: the association names ${settings.namespace}/${name}.`,
          ]
        : [
            ` ${purpose}: assumes the ${role} role. Created with this exact name: the role's trust policy names`,
            ` system:serviceaccount:${settings.namespace}:${name}.`,
          ],
    );
    edit.scalar(block, "create", true);
    edit.scalar(block, "name", name);
    if (podIdentity) {
      // A leftover IRSA annotation would win: the SDK tries web identity before the pod identity agent.
      const annotations = block.get("annotations");
      if (isMap(annotations)) annotations.delete(ROLE_ARN_ANNOTATION);
      continue;
    }
    const annotations = edit.childMap(block, "annotations", `${paths[sa.path]}.annotations`);
    edit.scalar(annotations, ROLE_ARN_ANNOTATION, arn);
  }

  const storageEnv: EnvEntry[] = [
    { name: "BUCKET_NAME", value: settings.bucketName },
    { name: "AWS_DEFAULT_REGION", value: settings.region },
    { name: "RASA_REMOTE_STORAGE", value: "aws" },
  ];
  edit.envList(paths.modelServiceEnv, storageEnv, profile.modelServiceEnvDefaults, [
    ` Rasa model service: keeps trained models in S3 bucket ${settings.bucketName}. Helm replaces this list as a`,
    profile.modelServiceEnvDefaults.length
      ? ` whole, so the chart's default entries are repeated here.`
      : ` whole: keep your chart's default entries in it.`,
  ]);
}

function assertRoleArns(region: string, arns: RoleArns) {
  for (const field of ["rdsRoleArn", "s3RoleArn"] as const) {
    const arn = arns[field];
    if (!ROLE_ARN.test(arn))
      throw new Error(`${field} must be an IAM role ARN such as arn:aws:iam::123456789012:role/name (got "${arn}")`);
    const partition = arn.split(":")[1];
    if (partition !== partitionOf(region))
      throw new Error(`${field} must be in partition ${partitionOf(region)} (region ${region}), not ${partition}`);
  }
}
