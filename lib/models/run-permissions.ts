// The AWS calls of the model runs (not steps, so not in the catalogue): the upload from a folder reads and writes
// the bucket's objects (lib/models/upload-folder.ts: MODEL_UPLOAD_IAM_ACTIONS); the copy Job's run lists the
// bucket to show its side of the progress. Only for environments that move their models that way; for the
// policy of any environment, both. Pure, for the operator policy.
import type { EnvironmentSettings } from "@/lib/config/environment";
import { bucketArn } from "@/lib/policies/arn";
import { scopes, type ScopeTarget } from "@/lib/policies/scopes";
import type { Permission } from "@/lib/steps/types";

const objects = (t: ScopeTarget) => [`${bucketArn(t.partition, t.settings?.bucketName ?? "*")}/*`];

export function modelRunPermissions(settings?: EnvironmentSettings): Permission[] {
  const copying = !settings || settings.storageSituation === "copy-from-pv";
  if (!copying) return [];
  const upload = !settings || settings.modelCopySource === "folder";
  return upload
    ? [
        { actions: ["s3:ListBucket", "s3:ListBucketMultipartUploads"], resources: scopes.bucket },
        { actions: ["s3:GetObject", "s3:PutObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"], resources: objects },
      ]
    : [{ actions: ["s3:ListBucket"], resources: scopes.bucket }];
}
