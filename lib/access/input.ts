// What the access matrix is evaluated from: the documents exactly as AWS returns them plus the facts of the
// environment. Validated here, once, so a bad read names its field instead of surfacing as a wrong answer.
import { z } from "zod";
import {
  accountIdSchema,
  eksClusterNameSchema,
  k8sNameSchema,
  k8sNamespaceSchema,
  partitionOf,
  pgIdentifierSchema,
  regionSchema,
  s3BucketNameSchema,
  type Partition,
} from "../config/aws-names";
import { TRUST_SCOPES, type TrustScope } from "../config/environment";
import { parsePolicyDocument } from "../policies/policy-json";

/**
 * A policy document as read: IAM's URL-encoded JSON (GetRole, GetRolePolicy, GetPolicyVersion), S3's and KMS's
 * plain JSON (GetBucketPolicy, GetKeyPolicy), or the parsed object.
 */
export type PolicyInput = string | object;

export interface RoleDocumentsInput {
  /** GetRole `Role.Arn` (it carries the role's path). */
  roleArn: string;
  /** GetRole `Role.AssumeRolePolicyDocument`. */
  trustPolicy: PolicyInput;
  /** ListRolePolicies, then GetRolePolicy `PolicyDocument` for each name. */
  inlinePolicies: { name: string; document: PolicyInput }[];
  /** ListAttachedRolePolicies, then GetPolicy (`DefaultVersionId`) and GetPolicyVersion `Document` for each. */
  attachedPolicies: { name: string; arn: string; document: PolicyInput }[];
  /** GetRole `Role.PermissionsBoundary.PermissionsBoundaryArn`, then GetPolicy and GetPolicyVersion. */
  permissionsBoundary?: { arn: string; document: PolicyInput } | null;
  /** The service accounts (in `namespace`) that should use this role. */
  serviceAccounts: string[];
}

/** One EKS Pod Identity association (ListPodIdentityAssociations + DescribePodIdentityAssociation). */
export interface PodIdentityAssociationInput {
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  /** EKS adds its six session tags unless the association disables them. */
  disableSessionTags?: boolean;
}

export type IdentityInput =
  | { kind: "irsa"; oidcIssuer: string; trustScope: TrustScope }
  | { kind: "pod-identity"; associations: PodIdentityAssociationInput[] };

export interface AccessMatrixInput {
  partition: Partition;
  region: string;
  accountId: string;
  clusterName: string;
  namespace: string;
  identity: IdentityInput;
  database: {
    /** DbiResourceId (`db-…`) of an instance or DbClusterResourceId (`cluster-…`) of an Aurora cluster. */
    resourceId: string;
    iamDbUser: string;
    /** MasterUsername of the instance or cluster: must never be reachable with a token. */
    masterUser: string;
  };
  bucketName: string;
  /** GetBucketPolicy `Policy`; null when the bucket has none (NoSuchBucketPolicy). */
  bucketPolicy: PolicyInput | null;
  /** The bucket's KMS key (SSE-KMS), when there is one; its key policy from GetKeyPolicy (policy name `default`). */
  kms?: { keyArn: string; keyPolicy?: PolicyInput | null; unreadReason?: string } | null;
  roles: { rds: RoleDocumentsInput; s3: RoleDocumentsInput };
}

/** A parsed policy document: at least a `Statement`. */
export type PolicyObject = { Version?: string; Statement: unknown } & Record<string, unknown>;

const documentSchema = z
  .union([z.string(), z.record(z.string(), z.unknown())], { error: "must be a policy document (JSON text or object)" })
  .transform((value, ctx): PolicyObject => {
    let doc: unknown;
    try {
      doc = typeof value === "string" ? parsePolicyDocument(value) : value;
    } catch (e) {
      ctx.addIssue({ code: "custom", message: (e as Error).message });
      return z.NEVER;
    }
    if (!doc || typeof doc !== "object" || !("Statement" in doc)) {
      ctx.addIssue({ code: "custom", message: "must be a policy document with a Statement" });
      return z.NEVER;
    }
    return doc as PolicyObject;
  });

const arnSchema = z.string().regex(/^arn:aws(-cn|-us-gov)?:[a-z0-9-]+:/, { error: "must be an ARN (arn:<partition>:…)" });

const roleSchema = z.object({
  roleArn: z.string().regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/(.+\/)?[\w+=,.@-]{1,64}$/, {
    error: "must be an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)",
  }),
  trustPolicy: documentSchema,
  inlinePolicies: z.array(z.object({ name: z.string().min(1, { error: "must not be empty" }), document: documentSchema })),
  attachedPolicies: z.array(
    z.object({ name: z.string().min(1, { error: "must not be empty" }), arn: arnSchema, document: documentSchema }),
  ),
  permissionsBoundary: z.object({ arn: arnSchema, document: documentSchema }).nullish(),
  serviceAccounts: z.array(k8sNameSchema).min(1, { error: "must name at least one service account" }),
});

const identitySchema = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("irsa"),
      oidcIssuer: z.string().regex(/^https:\/\/[^\s/]+(\/[^\s]*)?$/, { error: "must be the cluster's https:// OIDC issuer URL" }),
      trustScope: z.enum(TRUST_SCOPES, { error: "must be service-accounts, namespace or cluster" }),
    }),
    z.object({
      kind: z.literal("pod-identity"),
      associations: z.array(
        z.object({
          namespace: k8sNamespaceSchema,
          serviceAccount: k8sNameSchema,
          roleArn: arnSchema,
          disableSessionTags: z.boolean().optional(),
        }),
      ),
    }),
  ],
  { error: "must be irsa or pod-identity" },
);

export const accessMatrixInputSchema = z
  .object({
    partition: z.enum(["aws", "aws-cn", "aws-us-gov"], { error: "must be aws, aws-cn or aws-us-gov" }),
    region: regionSchema,
    accountId: accountIdSchema,
    clusterName: eksClusterNameSchema,
    namespace: k8sNamespaceSchema,
    identity: identitySchema,
    database: z.object({
      resourceId: z.string().regex(/^(db|cluster)-[A-Za-z0-9]+$/, {
        error: "must be a DbiResourceId (db-…) or DbClusterResourceId (cluster-…), not the instance name",
      }),
      iamDbUser: pgIdentifierSchema,
      masterUser: pgIdentifierSchema,
    }),
    bucketName: s3BucketNameSchema,
    bucketPolicy: documentSchema.nullable(),
    kms: z
      .object({
        keyArn: z.string().regex(/^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, {
          error: "must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)",
        }),
        keyPolicy: documentSchema.nullish(),
        /** Why the key policy is missing (another account's key, AccessDenied), for the matrix's warning. */
        unreadReason: z.string().optional(),
      })
      .nullish(),
    roles: z.object({ rds: roleSchema, s3: roleSchema }),
  })
  .superRefine((input, ctx) => {
    if (partitionOf(input.region) !== input.partition)
      ctx.addIssue({ code: "custom", path: ["partition"], message: `must be ${partitionOf(input.region)} for region ${input.region}` });
    for (const kind of ["rds", "s3"] as const) {
      const prefix = `arn:${input.partition}:iam::${input.accountId}:role/`;
      if (!input.roles[kind].roleArn.startsWith(prefix))
        ctx.addIssue({ code: "custom", path: ["roles", kind, "roleArn"], message: `must start with ${prefix}` });
    }
    if (input.database.masterUser === input.database.iamDbUser)
      ctx.addIssue({ code: "custom", path: ["database", "iamDbUser"], message: "must differ from the master user" });
  });

/** The input after validation: every document parsed. */
export type AccessFacts = z.output<typeof accessMatrixInputSchema>;
export type RoleFacts = AccessFacts["roles"]["rds"];

/** The name at the end of a role ARN (after its path). */
export function roleNameOf(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf("/") + 1);
}
