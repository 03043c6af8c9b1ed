// The model bucket's lifecycle rules: with versioning on, every overwritten or deleted model stays as a
// noncurrent version and is paid for forever, and an interrupted multipart upload keeps its parts. Two rules the
// console owns (by ID) expire the first after N days and abort the second after 7; a bucket's own rules are kept,
// since PutBucketLifecycleConfiguration replaces the whole configuration.
import type { LifecycleRule } from "@aws-sdk/client-s3";

export const NONCURRENT_RULE_ID = "studio-expire-noncurrent-versions";
export const MULTIPART_RULE_ID = "studio-abort-incomplete-multipart-uploads";
export const ABORT_MULTIPART_DAYS = 7;

export function lifecycleRules(noncurrentDays: number): LifecycleRule[] {
  return [
    { ID: NONCURRENT_RULE_ID, Status: "Enabled", Filter: { Prefix: "" }, NoncurrentVersionExpiration: { NoncurrentDays: noncurrentDays } },
    { ID: MULTIPART_RULE_ID, Status: "Enabled", Filter: { Prefix: "" }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: ABORT_MULTIPART_DAYS } },
  ];
}

/** What a rule does, as compared: S3 may hand the filter back in another shape, so only the actions and status count. */
function effect(r: LifecycleRule | undefined) {
  return r
    ? JSON.stringify([r.Status, r.NoncurrentVersionExpiration?.NoncurrentDays ?? null, r.AbortIncompleteMultipartUpload?.DaysAfterInitiation ?? null])
    : null;
}

/** Are the console's rules in place, as wanted? */
export function lifecycleInPlace(existing: LifecycleRule[] | null, ours: LifecycleRule[]): boolean {
  return ours.every((o) => effect(existing?.find((r) => r.ID === o.ID)) === effect(o));
}

/** The configuration to put: the bucket's own rules (minus any with the console's IDs), then the console's. */
export function mergeLifecycleRules(existing: LifecycleRule[] | null, ours: LifecycleRule[]): LifecycleRule[] {
  const ids = new Set(ours.map((r) => r.ID));
  return [...(existing ?? []).filter((r) => !ids.has(r.ID)), ...ours];
}
