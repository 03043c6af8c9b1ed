// The fake S3 through the real SDK client: new buckets with S3's defaults, SSE-KMS with a bucket key read back,
// lifecycle rules, whether a bucket is empty, DeleteBucket's refusal, and the answers for missing and foreign
// buckets.
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  NotFound,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { fakeAwsPerTest } from "./index";

const aws = fakeAwsPerTest();
const s3 = () => new S3Client({ region: "eu-west-1" });
const Bucket = "studio-models";
const create = () => s3().send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }));

describe("fake S3", () => {
  it("a new bucket has SSE-S3 and all public access blocked; SSE-KMS with a bucket key reads back", async () => {
    await create();
    expect(aws.fake.buckets.get(Bucket)).toMatchObject({ owner: "111122223333", region: "eu-west-1", encryption: "AES256", publicAccessBlock: { BlockPublicPolicy: true } });
    const key = aws.fake.addKmsKey({ alias: "alias/studio-models" });
    await s3().send(
      new PutBucketEncryptionCommand({
        Bucket,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: key.arn }, BucketKeyEnabled: true }] },
      }),
    );
    const { ServerSideEncryptionConfiguration } = await s3().send(new GetBucketEncryptionCommand({ Bucket }));
    expect(ServerSideEncryptionConfiguration?.Rules).toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: key.arn }, BucketKeyEnabled: true }]);
    // A key with SSE-S3 is refused, as S3 does.
    await expect(
      s3().send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256", KMSMasterKeyID: key.arn } }] } })),
    ).rejects.toMatchObject({ name: "InvalidArgument", $metadata: { httpStatusCode: 400 } });
  });

  it("lifecycle: NoSuchLifecycleConfiguration until rules are put; rules read back with an ID and dates as dates", async () => {
    await create();
    await expect(s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).rejects.toMatchObject({
      name: "NoSuchLifecycleConfiguration",
      $metadata: { httpStatusCode: 404 },
    });
    await s3().send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket,
        LifecycleConfiguration: {
          Rules: [
            { ID: "old-models", Status: "Enabled", Filter: { Prefix: "models/" }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
            { Status: "Enabled", Filter: {}, Expiration: { Date: new Date("2030-01-01T00:00:00Z") } },
          ],
        },
      }),
    );
    const { Rules } = await s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
    expect(Rules?.[0]).toEqual({ ID: "old-models", Status: "Enabled", Filter: { Prefix: "models/" }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } });
    expect(Rules?.[1].ID).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(Rules?.[1].Expiration?.Date).toEqual(new Date("2030-01-01T00:00:00Z"));
    await expect(s3().send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [{ Status: "Enabled", Filter: {} }] } }))).rejects.toMatchObject({
      name: "InvalidRequest",
    });
  });

  it("tells an empty bucket from a full one; DeleteBucket refuses one with objects or old versions (BucketNotEmpty)", async () => {
    await create();
    await s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    expect((await s3().send(new ListObjectsV2Command({ Bucket, MaxKeys: 1 }))).KeyCount).toBe(0);
    aws.fake.putObject(Bucket, "models/20240501.tar.gz");
    const listed = await s3().send(new ListObjectsV2Command({ Bucket, MaxKeys: 1 }));
    expect(listed).toMatchObject({ KeyCount: 1, Contents: [{ Key: "models/20240501.tar.gz", Size: 1024 }] });

    const notEmpty = await s3().send(new DeleteBucketCommand({ Bucket })).catch((e: unknown) => e);
    expect(notEmpty).toBeInstanceOf(S3ServiceException);
    expect(notEmpty).toMatchObject({ name: "BucketNotEmpty", $metadata: { httpStatusCode: 409 } });

    // Deleted in a versioned bucket: no current object, but the version and a delete marker stay.
    aws.fake.deleteObject(Bucket, "models/20240501.tar.gz");
    expect((await s3().send(new ListObjectsV2Command({ Bucket }))).KeyCount).toBe(0);
    const versions = await s3().send(new ListObjectVersionsCommand({ Bucket }));
    expect(versions.Versions?.map((v) => [v.Key, v.IsLatest])).toEqual([["models/20240501.tar.gz", false]]);
    expect(versions.DeleteMarkers?.map((m) => [m.Key, m.IsLatest])).toEqual([["models/20240501.tar.gz", true]]);
    await expect(s3().send(new DeleteBucketCommand({ Bucket }))).rejects.toMatchObject({ name: "BucketNotEmpty" });

    aws.fake.buckets.get(Bucket)!.oldVersions = [];
    await s3().send(new DeleteBucketCommand({ Bucket }));
    expect(aws.fake.buckets.has(Bucket)).toBe(false);
  });

  it("HeadBucket: 404 NotFound for a free name, a bare 403 for another account's bucket; ListBuckets lists only this account's", async () => {
    const free = await s3().send(new HeadBucketCommand({ Bucket })).catch((e: unknown) => e);
    expect(free).toBeInstanceOf(NotFound);
    const foreign = await s3().send(new HeadBucketCommand({ Bucket: "someone-elses-bucket" })).catch((e: unknown) => e);
    expect(foreign).toMatchObject({ name: "Unknown", message: "UnknownError", $metadata: { httpStatusCode: 403 } });
    await expect(s3().send(new CreateBucketCommand({ Bucket: "someone-elses-bucket", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }))).rejects.toMatchObject({
      name: "BucketAlreadyExists",
    });
    await create();
    await expect(create()).rejects.toMatchObject({ name: "BucketAlreadyOwnedByYou" });
    expect((await s3().send(new HeadBucketCommand({ Bucket, ExpectedBucketOwner: "111122223333" }))).BucketRegion).toBe("eu-west-1");
    expect((await s3().send(new ListBucketsCommand({}))).Buckets?.map((b) => [b.Name, b.BucketRegion])).toEqual([[Bucket, "eu-west-1"]]);
  });

  it("CreateBucket needs the region's LocationConstraint outside us-east-1", async () => {
    await expect(s3().send(new CreateBucketCommand({ Bucket }))).rejects.toMatchObject({ name: "IllegalLocationConstraintException" });
    await expect(s3().send(new CreateBucketCommand({ Bucket: "Not_Valid" , CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }))).rejects.toMatchObject({ name: "InvalidBucketName" });
  });

  it("PutBucketPolicy refuses a role of this account that IAM does not know (MalformedPolicy)", async () => {
    await create();
    const policy = (role: string) =>
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: [`arn:aws:iam::111122223333:role/${role}`] }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${Bucket}/*` }] });
    await expect(s3().send(new PutBucketPolicyCommand({ Bucket, Policy: policy("studio-s3") }))).rejects.toMatchObject({
      name: "MalformedPolicy",
      message: "Invalid principal in policy",
    });
    aws.fake.addRole("studio-s3", {});
    await s3().send(new PutBucketPolicyCommand({ Bucket, Policy: policy("studio-s3") }));
    expect(aws.fake.buckets.get(Bucket)?.policy).toBe(policy("studio-s3"));
  });

  it("ListObjectVersions pages by MaxKeys; DeleteObjects removes the versions and markers it names, then DeleteBucket succeeds", async () => {
    await create();
    await s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    for (const k of ["a", "b", "c"]) aws.fake.putObject(Bucket, k);
    aws.fake.deleteObject(Bucket, "a");
    const first = await s3().send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 2 }));
    expect([first.Versions?.length, first.DeleteMarkers, first.IsTruncated]).toEqual([2, undefined, true]);
    for (;;) {
      const page = await s3().send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 2 }));
      const refs = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
      if (!refs.length) break;
      await s3().send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: refs, Quiet: true } }));
    }
    await s3().send(new DeleteBucketCommand({ Bucket }));
    expect(aws.fake.buckets.has(Bucket)).toBe(false);
  });
});
