// The model bucket's policy: the guide's grant to the S3 role (split bucket/object like the role policy) plus a
// deny of any request not made over TLS.
import type { Partition } from "../config/aws-names";
import { bucketArn } from "./arn";
import { S3_BUCKET_ACTIONS, S3_OBJECT_ACTIONS } from "./s3-actions";
import { POLICY_VERSION, type PolicyDocument, type PolicyStatement } from "./types";

/** Sids of the statements the console owns; other statements of an adopted bucket's policy are kept. */
export const BUCKET_POLICY_SIDS = [
  "AllowSharedIAMRoleAccess",
  "AllowSharedIAMRoleObjectAccess",
  "DenyInsecureTransport",
] as const;

export function bucketPolicyStatements(input: {
  partition: Partition;
  bucketName: string;
  s3RoleArn: string;
}): PolicyStatement[] {
  const bucket = bucketArn(input.partition, input.bucketName);
  const principal = { AWS: input.s3RoleArn };
  return [
    { Sid: BUCKET_POLICY_SIDS[0], Effect: "Allow", Principal: principal, Action: [...S3_BUCKET_ACTIONS], Resource: [bucket] },
    {
      Sid: BUCKET_POLICY_SIDS[1],
      Effect: "Allow",
      Principal: principal,
      Action: [...S3_OBJECT_ACTIONS],
      Resource: [`${bucket}/*`],
    },
    {
      Sid: BUCKET_POLICY_SIDS[2],
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [bucket, `${bucket}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ];
}

export function bucketPolicy(input: { partition: Partition; bucketName: string; s3RoleArn: string }): PolicyDocument {
  return { Version: POLICY_VERSION, Statement: bucketPolicyStatements(input) };
}

/**
 * The policy to put on a bucket that already has one: its own statements kept (minus any with the console's
 * Sids), the console's appended. Adopting a bucket must not silently drop its owner's grants.
 */
export function mergeBucketPolicy(existing: unknown, ours: PolicyDocument): PolicyDocument {
  const doc = existing && typeof existing === "object" ? (existing as { Statement?: unknown }) : null;
  const raw = doc?.Statement;
  const theirs = (Array.isArray(raw) ? raw : raw ? [raw] : []) as PolicyStatement[];
  const ourSids = new Set<string>(BUCKET_POLICY_SIDS);
  const kept = theirs.filter((s) => !(s && typeof s === "object" && s.Sid && ourSids.has(s.Sid)));
  return { Version: POLICY_VERSION, Statement: [...kept, ...ours.Statement] };
}
