// The model bucket's encryption and lifecycle settings: SSE-KMS with a customer key (optional; AES-256 otherwise)
// and how long noncurrent object versions are kept.
import { z } from "zod";
import { partitionOf } from "./aws-names";

/** A KMS key ARN (not an alias: IAM grants need the key). */
export const kmsKeyArnSchema = z
  .string()
  .trim()
  .regex(/^arn:(aws|aws-cn|aws-us-gov):kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, {
    error: "must be a KMS key ARN, for example arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  });

/** Days a noncurrent (overwritten or deleted) model version is kept before S3 expires it. */
export const noncurrentExpiryDaysSchema = z.coerce
  .number({ error: "must be a number" })
  .int({ error: "must be a whole number" })
  .min(1, { error: "must be 1-3650 days" })
  .max(3650, { error: "must be 1-3650 days" });

/** Cross-field rule: the key must be in the environment's region and partition (S3 uses keys of its own region). */
export function bucketKeyRules(s: { region: string; bucketKmsKeyArn?: string }, ctx: z.core.$RefinementCtx) {
  if (!s.bucketKmsKeyArn) return;
  const [, partition, , region] = s.bucketKmsKeyArn.split(":");
  if (partition !== partitionOf(s.region) || region !== s.region)
    ctx.addIssue({
      code: "custom",
      path: ["bucketKmsKeyArn"],
      message: `must be a key in ${s.region} (partition ${partitionOf(s.region)}), not ${region} (${partition})`,
    });
}
