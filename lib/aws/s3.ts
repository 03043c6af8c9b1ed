import "server-only";
// The model bucket: whose it is, its settings, and the writes that converge them.
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  type BucketLocationConstraint,
  type LifecycleRule,
} from "@aws-sdk/client-s3";
import { parsePolicyDocument, toPolicyJson } from "../policies/policy-json";
import { awsCall, awsFind, type AwsCallContext } from "./call";
import type { AwsClients } from "./clients";
import { AwsCallError, requestIdOf } from "./errors";
import type { ObservedKmsKey } from "./kms";
import { fromTagList, toTagList } from "./tags";

export type ObservedBucket =
  | { state: "missing"; name: string }
  | { state: "foreign"; name: string; detail: string }
  | {
      state: "owned";
      name: string;
      region: string;
      versioning: string | null;
      encryption: string | null;
      /** The KMS key of SSE-KMS default encryption as S3 reports it (id, ARN or alias); null for the AWS managed aws/s3 key. */
      kmsKeyId: string | null;
      bucketKeyEnabled: boolean;
      /** The SSE-KMS key as KMS describes it (filled by the s3-bucket step; null when KMS does not know it). */
      kmsKey?: ObservedKmsKey | null;
      /** Lifecycle rules, as S3 returns them; null when the bucket has none. */
      lifecycle: LifecycleRule[] | null;
      publicAccessBlock: Record<string, boolean> | null;
      policy: unknown | null;
      tags: Record<string, string>;
    };

/** All four public-access blocks on, as the guide asks. */
export const ALL_PUBLIC_ACCESS_BLOCKED = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
} as const;

/** The request body of CreateBucket: us-east-1 takes no LocationConstraint, every other region requires one. */
export function createBucketRequest(bucket: string, region: string) {
  return region === "us-east-1"
    ? { Bucket: bucket }
    : { Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } };
}

/** GetBucketLocation's odd answers: empty means us-east-1, `EU` means eu-west-1. */
function regionFromLocation(constraint: string | undefined): string {
  if (!constraint) return "us-east-1";
  if (constraint === "EU") return "eu-west-1";
  return constraint;
}

type Head = { state: "missing" } | { state: "foreign"; detail: string } | { state: "owned"; region?: string };

/**
 * HeadBucket with the account as expected owner: 200 = ours, 404 = free, 403 = someone else's (or, rarely,
 * ours without s3:ListBucket: the detail says both).
 */
export async function headBucket(c: AwsClients, cx: AwsCallContext, bucket: string, accountId: string): Promise<Head> {
  try {
    const res = await awsFind(cx, "s3:ListBucket", (o) =>
      c.s3.send(new HeadBucketCommand({ Bucket: bucket, ExpectedBucketOwner: accountId }), o),
    );
    if (!res) return { state: "missing" };
    return { state: "owned", region: res.BucketRegion };
  } catch (err) {
    if (err instanceof AwsCallError && err.httpStatus === 403)
      return {
        state: "foreign",
        detail:
          `bucket ${bucket} exists and is not owned by account ${accountId} (HeadBucket returned 403` +
          `${requestIdOf(err.cause) ? `, request id ${requestIdOf(err.cause)}` : ""}). Bucket names are global: choose another ` +
          "name, or grant the console s3:ListBucket if the bucket is in fact this account's.",
      };
    throw err;
  }
}

/**
 * The bucket and its settings. Every read names the account as the expected owner, so the settings are read side
 * by side with HeadBucket (one round trip, not two): for a bucket that is missing or someone else's they answer
 * 404 or 403 and are dropped.
 */
export async function readBucket(
  c: AwsClients,
  cx: AwsCallContext,
  bucket: string,
  accountId: string,
): Promise<ObservedBucket> {
  const Bucket = bucket;
  const ExpectedBucketOwner = accountId;
  const quiet = <T>(p: Promise<T>) => p.then((v) => ({ ok: true as const, v }), (e: unknown) => ({ ok: false as const, e }));
  const [head, versioning, encryption, pab, policy, tagging, lifecycle] = await Promise.all([
    headBucket(c, cx, bucket, accountId),
    quiet(awsCall(cx, "s3:GetBucketVersioning", (o) => c.s3.send(new GetBucketVersioningCommand({ Bucket, ExpectedBucketOwner }), o))),
    quiet(awsFind(cx, "s3:GetEncryptionConfiguration", (o) => c.s3.send(new GetBucketEncryptionCommand({ Bucket, ExpectedBucketOwner }), o))),
    quiet(awsFind(cx, "s3:GetBucketPublicAccessBlock", (o) => c.s3.send(new GetPublicAccessBlockCommand({ Bucket, ExpectedBucketOwner }), o))),
    quiet(awsFind(cx, "s3:GetBucketPolicy", (o) => c.s3.send(new GetBucketPolicyCommand({ Bucket, ExpectedBucketOwner }), o))),
    quiet(awsFind(cx, "s3:GetBucketTagging", (o) => c.s3.send(new GetBucketTaggingCommand({ Bucket, ExpectedBucketOwner }), o))),
    quiet(
      awsFind(cx, "s3:GetLifecycleConfiguration", (o) =>
        c.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket, ExpectedBucketOwner }), o),
      ),
    ),
  ]);
  if (head.state === "missing") return { state: "missing", name: bucket };
  if (head.state === "foreign") return { state: "foreign", name: bucket, detail: head.detail };
  // The bucket is ours: now a failed settings read is a real error (AccessDenied on GetBucketPolicy, say).
  const value = <T>(r: { ok: true; v: T } | { ok: false; e: unknown }): T => {
    if (!r.ok) throw r.e;
    return r.v;
  };
  const encryptionRule = value(encryption)?.ServerSideEncryptionConfiguration?.Rules?.[0];
  const rule = encryptionRule?.ApplyServerSideEncryptionByDefault;
  const block = value(pab)?.PublicAccessBlockConfiguration;
  const policyDoc = value(policy);
  return {
    state: "owned",
    name: bucket,
    // S3 names the region in HeadBucket's answer; GetBucketLocation only for an endpoint that does not.
    region:
      head.region ??
      regionFromLocation(
        (await awsCall(cx, "s3:GetBucketLocation", (o) => c.s3.send(new GetBucketLocationCommand({ Bucket, ExpectedBucketOwner }), o)))
          .LocationConstraint,
      ),
    versioning: value(versioning).Status ?? null,
    encryption: rule?.SSEAlgorithm ?? null,
    kmsKeyId: rule?.KMSMasterKeyID ?? null,
    bucketKeyEnabled: encryptionRule?.BucketKeyEnabled === true,
    lifecycle: value(lifecycle)?.Rules ?? null,
    publicAccessBlock: block
      ? {
          BlockPublicAcls: block.BlockPublicAcls === true,
          IgnorePublicAcls: block.IgnorePublicAcls === true,
          BlockPublicPolicy: block.BlockPublicPolicy === true,
          RestrictPublicBuckets: block.RestrictPublicBuckets === true,
        }
      : null,
    policy: policyDoc ? parsePolicyDocument(policyDoc.Policy) : null,
    tags: fromTagList(value(tagging)?.TagSet),
  };
}

/**
 * Creates the bucket. `BucketAlreadyOwnedByYou` counts as created: this account owns the bucket, which is what
 * the call is for. It is what a retry gets when the first request's answer was lost after S3 created the bucket
 * (the SDK retries a dropped connection), and what us-east-1 answers with 200 anyway.
 */
export async function createBucket(c: AwsClients, cx: AwsCallContext, bucket: string, region: string): Promise<{ requestId?: string; alreadyOwned?: true }> {
  try {
    const res = await awsCall(cx, "s3:CreateBucket", (o) => c.s3.send(new CreateBucketCommand(createBucketRequest(bucket, region)), o));
    return { requestId: res.$metadata.requestId };
  } catch (err) {
    if (err instanceof AwsCallError && err.code === "BucketAlreadyOwnedByYou") return { requestId: err.requestId, alreadyOwned: true };
    throw err;
  }
}

/** Replaces the whole tag set (S3 has no "add tags"): pass the merged set. */
export async function putBucketTags(c: AwsClients, cx: AwsCallContext, bucket: string, tags: Record<string, string>) {
  const res = await awsCall(cx, "s3:PutBucketTagging", (o) =>
    c.s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: toTagList(tags) } }), o),
  );
  return { requestId: res.$metadata.requestId };
}

export async function enableVersioning(c: AwsClients, cx: AwsCallContext, bucket: string) {
  const res = await awsCall(cx, "s3:PutBucketVersioning", (o) =>
    c.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }), o),
  );
  return { requestId: res.$metadata.requestId };
}

/** Default encryption: AES256, or SSE-KMS with its key and S3 Bucket Keys on (fewer KMS calls, lower cost). */
export interface EncryptionRequest {
  Rules: {
    ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" | "aws:kms" | "aws:kms:dsse"; KMSMasterKeyID?: string };
    BucketKeyEnabled?: boolean;
  }[];
}

export async function putEncryption(c: AwsClients, cx: AwsCallContext, bucket: string, request: EncryptionRequest) {
  const res = await awsCall(cx, "s3:PutEncryptionConfiguration", (o) =>
    c.s3.send(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: request }), o),
  );
  return { requestId: res.$metadata.requestId };
}

/** Replaces the whole lifecycle configuration (S3 has no "add a rule"): pass the merged rules. */
export async function putLifecycleRules(c: AwsClients, cx: AwsCallContext, bucket: string, rules: LifecycleRule[]) {
  const res = await awsCall(cx, "s3:PutLifecycleConfiguration", (o) =>
    c.s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: rules } }), o),
  );
  return { requestId: res.$metadata.requestId };
}

export async function blockPublicAccess(c: AwsClients, cx: AwsCallContext, bucket: string) {
  const res = await awsCall(cx, "s3:PutBucketPublicAccessBlock", (o) =>
    c.s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { ...ALL_PUBLIC_ACCESS_BLOCKED } }), o),
  );
  return { requestId: res.$metadata.requestId };
}

export async function putBucketPolicy(c: AwsClients, cx: AwsCallContext, bucket: string, doc: unknown) {
  const res = await awsCall(cx, "s3:PutBucketPolicy", (o) =>
    c.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: toPolicyJson(doc) }), o),
  );
  return { requestId: res.$metadata.requestId };
}

// ---- teardown ------------------------------------------------------------------------------------------------

/** One object version or delete marker, as DeleteObjects takes it. */
export interface ObjectVersionRef {
  Key: string;
  VersionId?: string;
}

/** Up to `max` (≤ 1000) object versions and delete markers of the bucket, and whether there are more. */
export async function listVersionsPage(
  c: AwsClients,
  cx: AwsCallContext,
  bucket: string,
  accountId: string,
  max = 1000,
): Promise<{ refs: ObjectVersionRef[]; more: boolean }> {
  const res = await awsCall(cx, "s3:ListBucketVersions", (o) =>
    c.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, ExpectedBucketOwner: accountId, MaxKeys: max }), o),
  );
  const refs = [...(res.Versions ?? []), ...(res.DeleteMarkers ?? [])]
    .filter((v) => v.Key !== undefined)
    .map((v) => ({ Key: v.Key!, ...(v.VersionId ? { VersionId: v.VersionId } : {}) }))
    .slice(0, max);
  return { refs, more: res.IsTruncated === true };
}

/** Deletes up to 1000 versions in one request; throws when S3 refuses any of them. */
export async function deleteVersions(c: AwsClients, cx: AwsCallContext, bucket: string, accountId: string, refs: ObjectVersionRef[]) {
  const res = await awsCall(cx, "s3:DeleteObjectVersion", (o) =>
    c.s3.send(new DeleteObjectsCommand({ Bucket: bucket, ExpectedBucketOwner: accountId, Delete: { Objects: refs, Quiet: true } }), o),
  );
  const refused = res.Errors ?? [];
  if (refused.length)
    throw new Error(`s3:DeleteObjects refused ${refused.length} of ${refs.length} versions in ${bucket}: ${refused.slice(0, 3).map((e) => `${e.Key} (${e.Code})`).join(", ")}`);
  return { requestId: res.$metadata.requestId, deleted: refs.length };
}

/** Deletes the (empty) bucket; `gone` when it no longer exists. */
export async function deleteBucket(c: AwsClients, cx: AwsCallContext, bucket: string, accountId: string) {
  const res = await awsFind(cx, "s3:DeleteBucket", (o) => c.s3.send(new DeleteBucketCommand({ Bucket: bucket, ExpectedBucketOwner: accountId }), o));
  return res ? { requestId: res.$metadata.requestId, gone: false } : { gone: true };
}

/** The bucket's tags ({} when it has no tag set). */
export async function readBucketTags(c: AwsClients, cx: AwsCallContext, bucket: string, accountId: string): Promise<Record<string, string>> {
  const res = await awsFind(cx, "s3:GetBucketTagging", (o) => c.s3.send(new GetBucketTaggingCommand({ Bucket: bucket, ExpectedBucketOwner: accountId }), o));
  return fromTagList(res?.TagSet);
}
