// S3 answers: buckets with versioning, default encryption, public-access blocks, policy and tags. A bucket of
// another account answers HeadBucket with a bare 403 and everything else with AccessDenied, as S3 does.
import { ACCOUNT_ID, newBucket } from "./world.mjs";

/** @typedef {import("./compute.mjs").Handler} Handler @typedef {import("./double.mjs").CallContext} CallContext */

const tagList = (tags) => Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));

/** This account's bucket, or the error S3 gives for a missing or foreign one. @param {CallContext} cx @param {string} name */
function own(cx, name) {
  const b = cx.world.buckets[name];
  if (!b) throw cx.error("NoSuchBucket", "The specified bucket does not exist");
  if (b.owner !== ACCOUNT_ID) throw cx.error("AccessDenied", "Access Denied");
  return b;
}

/** Role ARNs of this account that a bucket policy names: S3 refuses principals IAM does not know. */
function unknownPrincipals(cx, doc) {
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const arns = statements.flatMap((s) => {
    const aws = s?.Principal && typeof s.Principal === "object" ? s.Principal.AWS : undefined;
    return aws === undefined ? [] : Array.isArray(aws) ? aws : [aws];
  });
  const known = new Set(Object.values(cx.world.roles).map((r) => r.arn));
  return arns.filter((a) => typeof a === "string" && a.includes(`::${ACCOUNT_ID}:role/`) && !known.has(a));
}

/** Applies a setter to the bucket's state and answers with no body. */
const put = (fn) => (input, cx) => (fn(own(cx, input.Bucket), input, cx), {});

/** @returns {Record<string, Handler>} */
export function s3Handlers() {
  return {
    HeadBucket: ({ Bucket, ExpectedBucketOwner }, cx) => {
      const b = cx.world.buckets[Bucket];
      if (!b) throw cx.headError(404);
      if (b.owner !== ACCOUNT_ID || (ExpectedBucketOwner && ExpectedBucketOwner !== b.owner)) throw cx.headError(403);
      return { BucketRegion: b.region, AccessPointAlias: false };
    },
    CreateBucket: ({ Bucket, CreateBucketConfiguration }, cx) => {
      const constraint = CreateBucketConfiguration?.LocationConstraint;
      if (cx.region === "us-east-1" ? constraint && constraint !== "us-east-1" : constraint !== cx.region)
        throw cx.error(
          "IllegalLocationConstraintException",
          constraint
            ? `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`
            : "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.",
        );
      const b = cx.world.buckets[Bucket];
      if (b && b.owner !== ACCOUNT_ID) throw cx.error("BucketAlreadyExists", "The requested bucket name is not available. Please select a different name and try again.");
      // us-east-1 answers 200 to the owner creating its bucket again; other regions say it is already yours.
      if (b && cx.region !== "us-east-1") throw cx.error("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.");
      if (!b) cx.world.buckets[Bucket] = newBucket(ACCOUNT_ID, cx.region);
      return { Location: cx.region === "us-east-1" ? `/${Bucket}` : `http://${Bucket}.s3.amazonaws.com/` };
    },
    ListBuckets: (_input, cx) => ({
      Buckets: Object.entries(cx.world.buckets)
        .filter(([, b]) => b.owner === ACCOUNT_ID)
        .map(([Name, b]) => ({ Name, CreationDate: new Date(b.createdAt), BucketRegion: b.region })),
      Owner: { ID: "c0ffee".repeat(10) + "c0ff" },
    }),
    // us-east-1 comes back as an empty constraint.
    GetBucketLocation: ({ Bucket }, cx) => {
      const region = own(cx, Bucket).region;
      return region === "us-east-1" ? {} : { LocationConstraint: region };
    },
    GetBucketVersioning: ({ Bucket }, cx) => {
      const v = own(cx, Bucket).versioning;
      return v ? { Status: v } : {};
    },
    GetBucketEncryption: ({ Bucket }, cx) => {
      const alg = own(cx, Bucket).encryption;
      if (!alg) throw cx.error("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found");
      return { ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: alg }, BucketKeyEnabled: false }] } };
    },
    GetPublicAccessBlock: ({ Bucket }, cx) => {
      const pab = own(cx, Bucket).publicAccessBlock;
      if (!pab) throw cx.error("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found");
      return { PublicAccessBlockConfiguration: { ...pab } };
    },
    GetBucketPolicy: ({ Bucket }, cx) => {
      const policy = own(cx, Bucket).policy;
      if (!policy) throw cx.error("NoSuchBucketPolicy", "The bucket policy does not exist");
      return { Policy: policy };
    },
    GetBucketTagging: ({ Bucket }, cx) => {
      const tags = own(cx, Bucket).tags;
      if (!tags) throw cx.error("NoSuchTagSet", "The TagSet does not exist");
      return { TagSet: tagList(tags) };
    },
    PutBucketTagging: put((b, i) => {
      b.tags = Object.fromEntries((i.Tagging?.TagSet ?? []).map((t) => [t.Key, t.Value ?? ""]));
    }),
    PutBucketVersioning: put((b, i) => {
      b.versioning = i.VersioningConfiguration?.Status ?? b.versioning;
    }),
    PutBucketEncryption: put((b, i, cx) => {
      const alg = i.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
      if (!alg) throw cx.error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
      b.encryption = alg;
    }),
    PutPublicAccessBlock: put((b, i) => {
      const c = i.PublicAccessBlockConfiguration ?? {};
      b.publicAccessBlock = Object.fromEntries(
        ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"].map((k) => [k, c[k] === true]),
      );
    }),
    PutBucketPolicy: put((b, i, cx) => {
      let doc;
      try {
        doc = JSON.parse(String(i.Policy));
      } catch {
        throw cx.error("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'");
      }
      if (unknownPrincipals(cx, doc).length) throw cx.error("MalformedPolicy", "Invalid principal in policy");
      b.policy = String(i.Policy);
    }),
  };
}
