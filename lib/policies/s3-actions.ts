// The guide's eight S3 actions, split by the resource they apply to: IAM ignores an object action on the
// bucket ARN and a bucket action on `bucket/*`, so each goes where it means something.

/** Actions on the bucket itself (resource `arn:…:s3:::<bucket>`). */
export const S3_BUCKET_ACTIONS = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"];

/** Actions on objects (resource `arn:…:s3:::<bucket>/*`). */
export const S3_OBJECT_ACTIONS = [
  "s3:GetObject",
  "s3:PutObject",
  "s3:DeleteObject",
  "s3:AbortMultipartUpload",
  "s3:ListMultipartUploadParts",
];
