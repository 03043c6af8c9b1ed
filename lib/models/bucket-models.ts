import "server-only";
// The models already in the bucket (`*.tar.gz` under the key prefix): the bucket's side of a copy's progress,
// next to what the copy job's log says, and the "already on S3" answer when there is nothing to move.
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { awsCall, type AwsCallContext } from "@/lib/aws/call";

export interface BucketModels {
  files: number;
  bytes: number;
  keys: string[];
}

export async function modelsInBucket(s3: S3Client, bucket: string, keyPrefix = "", cx: AwsCallContext = {}): Promise<BucketModels> {
  const out: BucketModels = { files: 0, bytes: 0, keys: [] };
  let ContinuationToken: string | undefined;
  do {
    const page = await awsCall(cx, "s3:ListBucket", (o) =>
      s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: keyPrefix || undefined, Delimiter: "/", ContinuationToken }), o),
    );
    for (const obj of page.Contents ?? []) {
      if (!obj.Key?.endsWith(".tar.gz")) continue;
      out.files++;
      out.bytes += obj.Size ?? 0;
      out.keys.push(obj.Key);
    }
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return out;
}
