// The S3 role's grant on the bucket's customer managed KMS key. With SSE-KMS, S3 calls KMS as the caller: reads
// need kms:Decrypt, writes kms:GenerateDataKey, and multipart uploads both (S3 decrypts the data key to combine
// the parts). Only through S3 in the bucket's region (kms:ViaService), so the role cannot use the key directly.
import type { PolicyStatement } from "./types";

export const KMS_GRANT_SID = "StudioModelBucketKmsKey";
export const KMS_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"] as const;

export function kmsGrantStatement(keyArn: string, region: string): PolicyStatement {
  const suffix = keyArn.startsWith("arn:aws-cn:") ? "amazonaws.com.cn" : "amazonaws.com";
  return {
    Sid: KMS_GRANT_SID,
    Effect: "Allow",
    Action: [...KMS_ACTIONS],
    Resource: [keyArn],
    Condition: { StringEquals: { "kms:ViaService": `s3.${region}.${suffix}` } },
  };
}
