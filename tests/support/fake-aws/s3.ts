// S3 answers: buckets with versioning, default encryption (SSE-S3 or SSE-KMS with a bucket key), public-access
// blocks, policy, tags, lifecycle rules and enough of their contents to tell empty from not. A bucket of
// another account answers HeadBucket with a bare 403 and everything else with AccessDenied, as S3 does.
import type {
  CreateBucketCommandInput,
  CreateBucketCommandOutput,
  DeleteObjectsCommandInput,
  DeleteObjectsCommandOutput,
  GetBucketEncryptionCommandOutput,
  GetBucketLifecycleConfigurationCommandOutput,
  GetBucketLocationCommandOutput,
  GetBucketPolicyCommandOutput,
  GetBucketTaggingCommandOutput,
  GetBucketVersioningCommandOutput,
  GetPublicAccessBlockCommandOutput,
  HeadBucketCommandInput,
  HeadBucketCommandOutput,
  LifecycleRule,
  ListBucketsCommandOutput,
  ListObjectsV2CommandInput,
  ListObjectsV2CommandOutput,
  ListObjectVersionsCommandInput,
  ListObjectVersionsCommandOutput,
  PutBucketEncryptionCommandInput,
  PutBucketLifecycleConfigurationCommandInput,
  PutBucketLifecycleConfigurationCommandOutput,
  PutBucketPolicyCommandInput,
  PutBucketTaggingCommandInput,
  PutBucketVersioningCommandInput,
  PutPublicAccessBlockCommandInput,
} from "@aws-sdk/client-s3";
import { asList, idFrom, parseDocument, statementsOf, tagList, tagMap, type Answer, type CallContext, type Handlers } from "./context";
import { newBucket, type FakeBucket } from "./state";

type BucketInput = { Bucket?: string };

/** This account's bucket, or the error S3 gives for a missing or foreign one. */
function own(cx: CallContext, name: string | undefined): FakeBucket {
  const b = name ? cx.state.buckets[name] : undefined;
  if (!b) throw cx.error("NoSuchBucket", "The specified bucket does not exist", { BucketName: name });
  if (b.owner !== cx.accountId) throw cx.error("AccessDenied", "Access Denied");
  return b;
}

/** Applies a setter to the bucket and answers with no body. */
const put =
  <I extends BucketInput>(fn: (b: FakeBucket, input: I, cx: CallContext) => void) =>
  (input: I, cx: CallContext) => {
    fn(own(cx, input.Bucket), input, cx);
    return {};
  };

/** Role ARNs of this account that a bucket policy names but IAM does not know: S3 refuses them. */
function unknownPrincipals(cx: CallContext, doc: { Statement?: unknown }): string[] {
  const arns = statementsOf(doc).flatMap((s) => {
    const p = s.Principal;
    return p && typeof p === "object" ? asList((p as { AWS?: unknown }).AWS) : [];
  });
  const known = new Set(Object.values(cx.state.roles).map((r) => r.arn));
  return arns.filter((a) => a.includes(`::${cx.accountId}:role/`) && !known.has(a));
}

const BUCKET_NAME = /^(?!xn--|sthree-)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Lifecycle rules are kept as JSON; dates come back as Date objects, as the SDK parses them. */
function revive(rule: Record<string, unknown>): LifecycleRule {
  const r = structuredClone(rule) as LifecycleRule & Record<string, unknown>;
  if (typeof r.Expiration?.Date === "string") r.Expiration.Date = new Date(r.Expiration.Date);
  for (const t of r.Transitions ?? []) if (typeof t.Date === "string") t.Date = new Date(t.Date);
  return r;
}

function etag(key: string, size: number) {
  return `"${idFrom(`${key}/${size}`, 32, "0123456789abcdef")}"`;
}

export const s3Handlers: Handlers = {
  HeadBucket: ({ Bucket, ExpectedBucketOwner }: HeadBucketCommandInput, cx: CallContext): Answer<HeadBucketCommandOutput> => {
    const b = Bucket ? cx.state.buckets[Bucket] : undefined;
    if (!b) throw cx.headError(404);
    if (b.owner !== cx.accountId || (ExpectedBucketOwner && ExpectedBucketOwner !== b.owner)) throw cx.headError(403);
    return { BucketRegion: b.region, AccessPointAlias: false };
  },

  CreateBucket: ({ Bucket, CreateBucketConfiguration }: CreateBucketCommandInput, cx: CallContext): Answer<CreateBucketCommandOutput> => {
    if (!Bucket || !BUCKET_NAME.test(Bucket) || Bucket.includes("..")) throw cx.error("InvalidBucketName", "The specified bucket is not valid.", { BucketName: Bucket });
    const constraint = CreateBucketConfiguration?.LocationConstraint;
    if (cx.region === "us-east-1" && constraint) throw cx.error("InvalidLocationConstraint", "The specified location-constraint is not valid");
    if (cx.region !== "us-east-1" && constraint !== cx.region)
      throw cx.error(
        "IllegalLocationConstraintException",
        constraint
          ? `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`
          : "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.",
      );
    const b = cx.state.buckets[Bucket];
    if (b && b.owner !== cx.accountId) throw cx.error("BucketAlreadyExists", "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.");
    // us-east-1 answers 200 to the owner creating its bucket again; other regions say it is already yours.
    if (b && cx.region !== "us-east-1") throw cx.error("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.");
    if (!b) cx.state.buckets[Bucket] = newBucket(cx.accountId, cx.region, cx.now());
    return { Location: cx.region === "us-east-1" ? `/${Bucket}` : `http://${Bucket}.s3.amazonaws.com/`, BucketArn: `arn:${cx.partition}:s3:::${Bucket}` };
  },

  DeleteBucket: ({ Bucket }: BucketInput, cx: CallContext) => {
    const b = own(cx, Bucket);
    if (Object.keys(b.objects ?? {}).length || b.oldVersions?.length)
      throw cx.error("BucketNotEmpty", b.versioning ? "The bucket you tried to delete is not empty. You must delete all versions in the bucket." : "The bucket you tried to delete is not empty", { BucketName: Bucket });
    delete cx.state.buckets[Bucket!];
    return {};
  },

  ListBuckets: (_input: object, cx: CallContext): Answer<ListBucketsCommandOutput> => ({
    Buckets: Object.entries(cx.state.buckets)
      .filter(([, b]) => b.owner === cx.accountId)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([Name, b]) => ({ Name, CreationDate: new Date(b.createdAt ?? cx.now()), BucketRegion: b.region, BucketArn: `arn:${cx.partition}:s3:::${Name}` })),
    Owner: { ID: "c0ffee".repeat(10) + "c0ff" },
  }),

  // us-east-1 comes back as an empty constraint.
  GetBucketLocation: ({ Bucket }: BucketInput, cx: CallContext): Answer<GetBucketLocationCommandOutput> => {
    const region = own(cx, Bucket).region;
    return region === "us-east-1" ? {} : { LocationConstraint: region as "eu-west-1" };
  },

  GetBucketVersioning: ({ Bucket }: BucketInput, cx: CallContext): Answer<GetBucketVersioningCommandOutput> => {
    const v = own(cx, Bucket).versioning;
    return v ? { Status: v } : {};
  },
  PutBucketVersioning: put((b, i: PutBucketVersioningCommandInput) => {
    b.versioning = i.VersioningConfiguration?.Status ?? b.versioning;
  }),

  GetBucketEncryption: ({ Bucket }: BucketInput, cx: CallContext): Answer<GetBucketEncryptionCommandOutput> => {
    const b = own(cx, Bucket);
    if (!b.encryption) throw cx.error("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found");
    return {
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: b.encryption as "AES256", ...(b.kmsKeyId ? { KMSMasterKeyID: b.kmsKeyId } : {}) },
            BucketKeyEnabled: b.bucketKeyEnabled ?? false,
          },
        ],
      },
    };
  },
  PutBucketEncryption: put((b, i: PutBucketEncryptionCommandInput, cx) => {
    const rule = i.ServerSideEncryptionConfiguration?.Rules?.[0];
    const byDefault = rule?.ApplyServerSideEncryptionByDefault;
    if (!byDefault?.SSEAlgorithm) throw cx.error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
    if (byDefault.KMSMasterKeyID && !byDefault.SSEAlgorithm.startsWith("aws:kms"))
      throw cx.error("InvalidArgument", "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse");
    b.encryption = byDefault.SSEAlgorithm;
    if (byDefault.KMSMasterKeyID) b.kmsKeyId = byDefault.KMSMasterKeyID;
    else delete b.kmsKeyId;
    b.bucketKeyEnabled = rule?.BucketKeyEnabled ?? false;
  }),

  GetPublicAccessBlock: ({ Bucket }: BucketInput, cx: CallContext): Answer<GetPublicAccessBlockCommandOutput> => {
    const pab = own(cx, Bucket).publicAccessBlock;
    if (!pab) throw cx.error("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found");
    return { PublicAccessBlockConfiguration: { ...pab } };
  },
  PutPublicAccessBlock: put((b, i: PutPublicAccessBlockCommandInput) => {
    const c = i.PublicAccessBlockConfiguration ?? {};
    b.publicAccessBlock = {
      BlockPublicAcls: c.BlockPublicAcls === true,
      IgnorePublicAcls: c.IgnorePublicAcls === true,
      BlockPublicPolicy: c.BlockPublicPolicy === true,
      RestrictPublicBuckets: c.RestrictPublicBuckets === true,
    };
  }),

  GetBucketPolicy: ({ Bucket }: BucketInput, cx: CallContext): Answer<GetBucketPolicyCommandOutput> => {
    const policy = own(cx, Bucket).policy;
    if (!policy) throw cx.error("NoSuchBucketPolicy", "The bucket policy does not exist", { BucketName: Bucket });
    return { Policy: policy };
  },
  PutBucketPolicy: put((b, i: PutBucketPolicyCommandInput, cx) => {
    const doc = parseDocument(cx, i.Policy, "MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'");
    // S3 refuses a principal it does not know: roles must exist (and IAM have propagated them) first.
    if (unknownPrincipals(cx, doc).length) throw cx.error("MalformedPolicy", "Invalid principal in policy");
    b.policy = String(i.Policy);
  }),
  DeleteBucketPolicy: put((b) => {
    delete b.policy;
  }),

  GetBucketTagging: ({ Bucket }: BucketInput, cx: CallContext): Answer<GetBucketTaggingCommandOutput> => {
    const tags = own(cx, Bucket).tags;
    if (!tags) throw cx.error("NoSuchTagSet", "The TagSet does not exist", { BucketName: Bucket });
    return { TagSet: tagList(tags) };
  },
  PutBucketTagging: put((b, i: PutBucketTaggingCommandInput) => {
    b.tags = tagMap(i.Tagging?.TagSet);
  }),

  GetBucketLifecycleConfiguration: ({ Bucket }: BucketInput, cx: CallContext): Answer<GetBucketLifecycleConfigurationCommandOutput> => {
    const rules = own(cx, Bucket).lifecycle;
    if (!rules) throw cx.error("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", { BucketName: Bucket });
    return { Rules: rules.map((r) => revive(r as Record<string, unknown>)), TransitionDefaultMinimumObjectSize: "all_storage_classes_128K" };
  },
  PutBucketLifecycleConfiguration: (i: PutBucketLifecycleConfigurationCommandInput, cx: CallContext): Answer<PutBucketLifecycleConfigurationCommandOutput> => {
    const b = own(cx, i.Bucket);
    const rules = i.LifecycleConfiguration?.Rules ?? [];
    const malformed = () => cx.error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
    if (!rules.length) throw malformed();
    for (const r of rules) {
      if (r.Status !== "Enabled" && r.Status !== "Disabled") throw malformed();
      const acts = r.Expiration || r.Transitions?.length || r.NoncurrentVersionExpiration || r.NoncurrentVersionTransitions?.length || r.AbortIncompleteMultipartUpload;
      if (!acts) throw cx.error("InvalidRequest", "At least one action needs to be specified in a rule");
    }
    // Rules without an ID get one from S3.
    b.lifecycle = JSON.parse(JSON.stringify(rules.map((r, n) => ({ ...r, ID: r.ID ?? idFrom(`${i.Bucket}/${n}/${cx.state.seq}`, 48, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") }))));
    return { TransitionDefaultMinimumObjectSize: i.TransitionDefaultMinimumObjectSize ?? "all_storage_classes_128K" };
  },
  DeleteBucketLifecycle: put((b) => {
    delete b.lifecycle;
  }),

  ListObjectsV2: (i: ListObjectsV2CommandInput, cx: CallContext): Answer<ListObjectsV2CommandOutput> => {
    const b = own(cx, i.Bucket);
    const max = i.MaxKeys ?? 1000;
    const keys = Object.keys(b.objects ?? {})
      .filter((k) => !i.Prefix || k.startsWith(i.Prefix))
      .filter((k) => !i.StartAfter || k > i.StartAfter)
      .sort();
    const start = i.ContinuationToken ? Number(i.ContinuationToken) : 0;
    const page = keys.slice(start, start + max);
    const more = start + max < keys.length;
    return {
      Name: i.Bucket,
      Prefix: i.Prefix ?? "",
      MaxKeys: max,
      KeyCount: page.length,
      IsTruncated: more,
      ...(page.length
        ? { Contents: page.map((Key) => ({ Key, Size: b.objects![Key].size, LastModified: new Date(b.objects![Key].lastModified), ETag: etag(Key, b.objects![Key].size), StorageClass: "STANDARD" as const })) }
        : {}),
      ...(more ? { NextContinuationToken: String(start + max) } : {}),
    };
  },

  ListObjectVersions: (i: ListObjectVersionsCommandInput, cx: CallContext): Answer<ListObjectVersionsCommandOutput> => {
    const b = own(cx, i.Bucket);
    const match = (k: string) => !i.Prefix || k.startsWith(i.Prefix);
    const current = Object.entries(b.objects ?? {})
      .filter(([k]) => match(k))
      .map(([Key, o]) => ({ Key, VersionId: o.versionId ?? "null", IsLatest: true, Size: o.size, LastModified: new Date(o.lastModified), ETag: etag(Key, o.size), StorageClass: "STANDARD" as const }));
    const old = (b.oldVersions ?? []).filter((v) => match(v.key));
    const latestMarker = (v: { key: string; lastModified: string }) => !b.objects?.[v.key] && !old.some((o) => o.key === v.key && o.lastModified > v.lastModified);
    const versions = [
      ...current,
      ...old.filter((v) => !v.deleteMarker).map((v) => ({ Key: v.key, VersionId: v.versionId, IsLatest: false, Size: v.size, LastModified: new Date(v.lastModified), ETag: etag(v.key, v.size), StorageClass: "STANDARD" as const })),
    ];
    const markers = old.filter((v) => v.deleteMarker).map((v) => ({ Key: v.key, VersionId: v.versionId, IsLatest: latestMarker(v), LastModified: new Date(v.lastModified) }));
    // The first MaxKeys entries (versions first, then markers); a caller deleting as it goes lists again from the start.
    const max = i.MaxKeys ?? 1000;
    const pageVersions = versions.slice(0, max);
    const pageMarkers = markers.slice(0, Math.max(0, max - pageVersions.length));
    return {
      Name: i.Bucket,
      Prefix: i.Prefix ?? "",
      MaxKeys: max,
      IsTruncated: versions.length + markers.length > max,
      ...(pageVersions.length ? { Versions: pageVersions } : {}),
      ...(pageMarkers.length ? { DeleteMarkers: pageMarkers } : {}),
    };
  },

  // Up to 1000 keys; a version id removes that version (or delete marker) for good, no version id deletes the
  // current object (behind a delete marker in a versioned bucket). A version that is not there is no error.
  DeleteObjects: (i: DeleteObjectsCommandInput, cx: CallContext): Answer<DeleteObjectsCommandOutput> => {
    const b = own(cx, i.Bucket);
    const objects = i.Delete?.Objects ?? [];
    if (!objects.length || objects.length > 1000) throw cx.error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
    for (const { Key, VersionId } of objects) {
      if (!Key) continue;
      const current = b.objects?.[Key];
      if (VersionId === undefined) {
        if (!current) continue;
        delete b.objects![Key];
        if (b.versioning) {
          const now = cx.now();
          (b.oldVersions ??= []).push({ key: Key, versionId: current.versionId ?? "null", size: current.size, lastModified: current.lastModified });
          b.oldVersions.push({ key: Key, versionId: idFrom(`${Key}/marker/${cx.state.seq}`, 32, "0123456789abcdef"), size: 0, lastModified: now, deleteMarker: true });
        }
        continue;
      }
      if (current && (current.versionId ?? "null") === VersionId) delete b.objects![Key];
      else b.oldVersions = (b.oldVersions ?? []).filter((v) => !(v.key === Key && v.versionId === VersionId));
    }
    return i.Delete?.Quiet ? {} : { Deleted: objects.map((o) => ({ Key: o.Key, ...(o.VersionId ? { VersionId: o.VersionId } : {}) })) };
  },
};
