// The model bucket's default encryption and the KMS key the S3 role must be granted. A bucket already on SSE-KMS
// keeps its algorithm and key (never downgraded: its models were written with that key, and a role that cannot
// use it cannot read them); S3 Bucket Keys are turned on for SSE-KMS. Otherwise SSE-KMS with the settings' key
// when one is given, else AES-256.
import type { EncryptionRequest, ObservedBucket } from "../aws/s3";
import type { EnvironmentSettings } from "../config/environment";
import type { Facts } from "./types";

type Owned = Extract<ObservedBucket, { state: "owned" }>;

const isKms = (alg: string | null | undefined) => !!alg && alg.startsWith("aws:kms");

/** The PutBucketEncryption request the bucket should have. */
export function wantedEncryption(owned: Owned | null, s: Pick<EnvironmentSettings, "bucketKmsKeyArn">): EncryptionRequest {
  if (owned && isKms(owned.encryption)) {
    const alg = owned.encryption as "aws:kms" | "aws:kms:dsse";
    return {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: alg, ...(owned.kmsKeyId ? { KMSMasterKeyID: owned.kmsKeyId } : {}) },
          // DSSE-KMS does not take Bucket Keys.
          ...(alg === "aws:kms" ? { BucketKeyEnabled: true } : {}),
        },
      ],
    };
  }
  if (s.bucketKmsKeyArn)
    return { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: s.bucketKmsKeyArn }, BucketKeyEnabled: true }] };
  return { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] };
}

/** Does the bucket already have it? */
export function encryptionInPlace(owned: Owned | null, want: EncryptionRequest): boolean {
  if (!owned) return false;
  const rule = want.Rules[0];
  const d = rule.ApplyServerSideEncryptionByDefault;
  return owned.encryption === d.SSEAlgorithm && (owned.kmsKeyId ?? undefined) === d.KMSMasterKeyID && (!rule.BucketKeyEnabled || owned.bucketKeyEnabled);
}

/** What the plan says about the bucket's encryption (reason and warnings). */
export function encryptionNotes(owned: Owned | null, s: Pick<EnvironmentSettings, "bucketKmsKeyArn" | "bucketName">): { reason?: string; warnings: string[] } {
  if (!owned) return { reason: s.bucketKmsKeyArn ? `SSE-KMS with ${s.bucketKmsKeyArn}, S3 Bucket Keys on` : "AES-256 (SSE-S3)", warnings: [] };
  if (isKms(owned.encryption)) {
    const key = owned.kmsKey?.arn ?? owned.kmsKeyId ?? "the AWS managed key aws/s3";
    const warnings =
      s.bucketKmsKeyArn && s.bucketKmsKeyArn !== owned.kmsKey?.arn && s.bucketKmsKeyArn !== owned.kmsKeyId
        ? [`S3 bucket ${s.bucketName} keeps its KMS key ${key}: the console never changes or downgrades a bucket's SSE-KMS key; ${s.bucketKmsKeyArn} applies to buckets it creates`]
        : [];
    return {
      reason: `${owned.encryption} with ${key} kept${owned.bucketKeyEnabled || owned.encryption !== "aws:kms" ? "" : "; S3 Bucket Keys turned on"}`,
      warnings,
    };
  }
  return {
    reason: s.bucketKmsKeyArn
      ? `default encryption is ${owned.encryption ?? "unset"}; SSE-KMS with ${s.bucketKmsKeyArn} for new objects (existing objects stay readable)`
      : `default encryption is ${owned.encryption ?? "unset"}; AES-256 (SSE-S3)`,
    warnings: [],
  };
}

/**
 * The customer managed key the S3 role needs a grant on, and the bucket's region (for kms:ViaService); null when
 * the bucket uses AES-256 or the AWS managed aws/s3 key (whose key policy already allows use through S3).
 */
export function bucketKmsKey(facts: Facts, s: EnvironmentSettings): { arn: string; region: string } | null {
  const b = facts["s3-bucket"] as ObservedBucket | undefined;
  const owned = b?.state === "owned" ? b : null;
  if (owned && isKms(owned.encryption)) {
    if (owned.kmsKey) return owned.kmsKey.manager === "CUSTOMER" ? { arn: owned.kmsKey.arn, region: owned.region } : null;
    return owned.kmsKeyId?.includes(":key/") ? { arn: owned.kmsKeyId, region: owned.region } : null;
  }
  return s.bucketKmsKeyArn ? { arn: s.bucketKmsKeyArn, region: owned?.region ?? s.region } : null;
}
