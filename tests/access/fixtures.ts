// An environment's documents exactly as the console writes them (the lib/policies builders), in the shapes AWS
// returns them (IAM URL-encodes, S3 and KMS do not), for the access matrix tests and the benchmark.
import type { AccessMatrix, AccessMatrixInput, RoleDocumentsInput } from "@/lib/access";
import { partitionOf, type Partition } from "@/lib/config/aws-names";
import type { TrustScope } from "@/lib/config/environment";
import { bucketPolicy } from "@/lib/policies/bucket-policy";
import { oidcProviderArn, roleArn } from "@/lib/policies/arn";
import { rdsConnectPolicy } from "@/lib/policies/rds-connect-policy";
import { s3AccessPolicy } from "@/lib/policies/s3-access-policy";
import { trustPolicy } from "@/lib/policies/trust-policy";
import type { PolicyDocument } from "@/lib/policies/types";

export const ACCOUNT = "111122223333";
export const RDS_SERVICE_ACCOUNTS = ["studio-backend", "studio-event-ingestion", "studio-database-migration"];
export const S3_SERVICE_ACCOUNTS = ["studio-model-service"];
export const NAMESPACE = "rasa";
export const CLUSTER = "studio-eks";
export const BUCKET = "studio-shared-storage-staging";
export const RESOURCE_IDS = { instance: "db-ABCDEFGHIJKLMNOPQRSTUVWXY0", cluster: "cluster-ABCDEFGHIJKLMNOPQRSTUVWX" } as const;

export const REGIONS: Record<Partition, string> = { aws: "eu-west-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1" };

export function issuerOf(region: string): string {
  return `https://oidc.eks.${region}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;
}

/** IAM returns documents URL-encoded; the matrix must read them as they come. */
export function iamEncoded(doc: unknown): string {
  return encodeURIComponent(JSON.stringify(doc));
}

/** The trust policy the lead's Pod Identity roles carry: the EKS service, this account, this cluster. */
export function podIdentityTrust(partition: Partition, region: string, opts: { pinCluster?: boolean } = {}): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowEksAuthToAssumeRoleForPodIdentity",
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        ...(opts.pinCluster === false
          ? {}
          : {
              Condition: {
                StringEquals: { "aws:SourceAccount": ACCOUNT },
                ArnEquals: { "aws:SourceArn": `arn:${partition}:eks:${region}:${ACCOUNT}:cluster/${CLUSTER}` },
              },
            }),
      },
    ],
  };
}

export interface FixtureOptions {
  partition?: Partition;
  dbKind?: "instance" | "cluster";
  identity?: "irsa" | "pod-identity";
  scope?: TrustScope;
  kms?: boolean;
}

/** The environment as the console leaves it after an apply: everything as intended. */
export function consoleEnvironment(opts: FixtureOptions = {}): AccessMatrixInput {
  const partition = opts.partition ?? "aws";
  const region = REGIONS[partition];
  if (partitionOf(region) !== partition) throw new Error("fixture regions must match their partitions");
  const dbKind = opts.dbKind ?? "instance";
  const issuer = issuerOf(region);
  const rdsArn = roleArn(partition, ACCOUNT, "studio-staging-rds-role");
  const s3Arn = roleArn(partition, ACCOUNT, "studio-staging-s3-role");
  const keyArn = `arn:${partition}:kms:${region}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const trust = (serviceAccounts: string[]) =>
    opts.identity === "pod-identity"
      ? podIdentityTrust(partition, region)
      : trustPolicy({
          oidcProviderArn: oidcProviderArn(partition, ACCOUNT, issuer),
          oidcIssuer: issuer,
          scope: opts.scope ?? "service-accounts",
          namespace: NAMESPACE,
          serviceAccounts,
        });
  const role = (arn: string, serviceAccounts: string[], name: string, doc: PolicyDocument): RoleDocumentsInput => ({
    roleArn: arn,
    trustPolicy: iamEncoded(trust(serviceAccounts)),
    inlinePolicies: [{ name, document: iamEncoded(doc) }],
    attachedPolicies: [],
    permissionsBoundary: null,
    serviceAccounts,
  });
  const s3Policy = s3AccessPolicy({ partition, bucketName: BUCKET });
  if (opts.kms)
    s3Policy.Statement.push({ Sid: "StudioModelKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [keyArn] });
  return {
    partition,
    region,
    accountId: ACCOUNT,
    clusterName: CLUSTER,
    namespace: NAMESPACE,
    identity:
      opts.identity === "pod-identity"
        ? {
            kind: "pod-identity",
            associations: [
              ...RDS_SERVICE_ACCOUNTS.map((sa) => ({ namespace: NAMESPACE, serviceAccount: sa, roleArn: rdsArn })),
              ...S3_SERVICE_ACCOUNTS.map((sa) => ({ namespace: NAMESPACE, serviceAccount: sa, roleArn: s3Arn })),
            ],
          }
        : { kind: "irsa", oidcIssuer: issuer, trustScope: opts.scope ?? "service-accounts" },
    database: { resourceId: RESOURCE_IDS[dbKind], iamDbUser: "studio_iam_user", masterUser: "postgres" },
    bucketName: BUCKET,
    bucketPolicy: JSON.stringify(bucketPolicy({ partition, bucketName: BUCKET, s3RoleArn: s3Arn })),
    kms: opts.kms
      ? {
          keyArn,
          // The default key policy: the account's IAM policies decide.
          keyPolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
            ],
          }),
        }
      : null,
    roles: {
      rds: role(
        rdsArn,
        RDS_SERVICE_ACCOUNTS,
        "studio-rds-db-connect",
        rdsConnectPolicy({ partition, region, accountId: ACCOUNT, dbKind, resourceId: RESOURCE_IDS[dbKind], dbUser: "studio_iam_user" }),
      ),
      s3: role(s3Arn, S3_SERVICE_ACCOUNTS, "studio-s3-model-storage", s3Policy),
    },
  };
}

/** One row of a matrix by id; a missing row fails with the ids there are. */
export function row(m: AccessMatrix, id: string) {
  const r = m.rows.find((x) => x.id === id);
  if (!r) throw new Error(`no row ${id}; rows: ${m.rows.map((x) => x.id).join(", ")}`);
  return r;
}
