// The S3 role's permission: the guide's eight actions on the model bucket, bucket-level on the bucket ARN and
// object-level on its objects.
import type { Partition } from "../config/aws-names";
import { bucketArn } from "./arn";
import { S3_BUCKET_ACTIONS, S3_OBJECT_ACTIONS } from "./s3-actions";
import { POLICY_VERSION, type PolicyDocument } from "./types";

export function s3AccessPolicy(input: { partition: Partition; bucketName: string }): PolicyDocument {
  const bucket = bucketArn(input.partition, input.bucketName);
  return {
    Version: POLICY_VERSION,
    Statement: [
      { Sid: "StudioModelBucket", Effect: "Allow", Action: [...S3_BUCKET_ACTIONS], Resource: [bucket] },
      { Sid: "StudioModelObjects", Effect: "Allow", Action: [...S3_OBJECT_ACTIONS], Resource: [`${bucket}/*`] },
    ],
  };
}
