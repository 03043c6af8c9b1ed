// Buckets already encrypted with KMS keep their key and the S3 role gets the grant; SSE-KMS with a customer key
// for new buckets; S3 Bucket Keys on; lifecycle rules in the plan, merged with the bucket's own.
import { describe, expect, it } from "vitest";
import { environmentSettingsSchema } from "@/lib/config/environment";
import type { PolicyStatement } from "@/lib/policies/types";
import { FakeAws, fakeAwsPerTest } from "@/tests/support/fake-aws";
import { engine, observe } from "@/tests/support/engine";
import { testSettings, VALID_SETTINGS } from "@/tests/support/settings";
import { S3_POLICY_NAME } from "./role-step";
import { s3BucketStep } from "./s3-bucket";
import { s3RoleStep } from "./s3-role";

const aws = fakeAwsPerTest();
const env = testSettings();
const BUCKET = env.bucketName;

const s3RolePolicy = async (settings = env) => {
  const facts = await observe(settings);
  return JSON.parse(s3RoleStep.changes(facts, settings).find((c) => c.id === "s3-role:policy")!.document!);
};
const kmsStatement = (doc: { Statement: PolicyStatement[] }) => doc.Statement.find((s) => s.Sid === "StudioModelBucketKmsKey");

describe("a bucket already on SSE-KMS with a customer key", () => {
  it("keeps aws:kms and its key (bucket keys turned on), grants the S3 role the key through S3, and converges", async () => {
    const key = aws.fake.addKmsKey({ alias: "alias/models" });
    aws.fake.buckets.set(BUCKET, {
      owner: "111122223333",
      region: "eu-west-1",
      versioning: "Enabled",
      encryption: "aws:kms",
      kmsKeyId: "alias/models",
      tags: { "managed-by": "studio-iam-console", "studio-environment": "staging" },
    });
    const facts = await observe(env);
    const row = s3BucketStep.changes(facts, env).find((c) => c.id === "s3-bucket:encryption")!;
    expect(row.action).toBe("update");
    expect(JSON.parse(row.document!)).toEqual({
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: "alias/models" }, BucketKeyEnabled: true }],
    });
    expect(row.reason).toBe(`aws:kms with ${key.arn} kept; S3 Bucket Keys turned on`);
    // The alias was resolved to the key's ARN: IAM grants need the key.
    expect(kmsStatement(await s3RolePolicy())).toEqual({
      Sid: "StudioModelBucketKmsKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: [key.arn],
      Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
    });

    aws.fake.db!.pollsUntilApplied = 1;
    const e = await engine(env);
    const { view } = await e.apply();
    expect(view.steps.filter((s) => ["s3-bucket", "s3-role"].includes(s.key)).map((s) => s.status)).toEqual(["succeeded", "succeeded"]);
    expect(aws.fake.buckets.get(BUCKET)).toMatchObject({ encryption: "aws:kms", kmsKeyId: "alias/models", bucketKeyEnabled: true });
    expect(kmsStatement(JSON.parse(decodeURIComponent(aws.fake.roles.get(env.s3RoleName)!.policies.get(S3_POLICY_NAME)!)))?.Resource).toEqual([key.arn]);
    aws.fake.clearLog();
    await e.apply();
    expect(aws.fake.mutatingCalls()).toEqual([]);
    await e.close();
  });

  it("a key in the settings does not replace the bucket's own: warned, the bucket's key is granted", async () => {
    const own = aws.fake.addKmsKey();
    const other = aws.fake.addKmsKey({ alias: "alias/other" });
    aws.fake.buckets.set(BUCKET, { owner: "111122223333", region: "eu-west-1", encryption: "aws:kms", kmsKeyId: own.arn, bucketKeyEnabled: true });
    const settings = testSettings({ bucketKmsKeyArn: other.arn });
    const row = s3BucketStep.changes(await observe(settings), settings).find((c) => c.id === "s3-bucket:encryption")!;
    expect(row.action).toBe("unchanged");
    expect(row.warnings).toEqual([
      `S3 bucket ${BUCKET} keeps its KMS key ${own.arn}: the console never changes or downgrades a bucket's SSE-KMS key; ${other.arn} applies to buckets it creates`,
    ]);
    expect(kmsStatement(await s3RolePolicy(settings))?.Resource).toEqual([own.arn]);
  });

  it("the AWS managed aws/s3 key: kept, and no grant (its key policy allows use through S3)", async () => {
    aws.fake.buckets.set(BUCKET, { owner: "111122223333", region: "eu-west-1", encryption: "aws:kms", bucketKeyEnabled: true });
    const row = s3BucketStep.changes(await observe(env), env).find((c) => c.id === "s3-bucket:encryption")!;
    expect(JSON.parse(row.document!).Rules[0].ApplyServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: "aws:kms" });
    expect(row.action).toBe("unchanged");
    expect(kmsStatement(await s3RolePolicy())).toBeUndefined();
  });
});

describe("SSE-KMS with a customer key for a new bucket", () => {
  it.each([
    ["aws", "eu-west-1", "s3.eu-west-1.amazonaws.com"],
    ["aws-cn", "cn-north-1", "s3.cn-north-1.amazonaws.com.cn"],
    ["aws-us-gov", "us-gov-west-1", "s3.us-gov-west-1.amazonaws.com"],
  ])("%s: PutBucketEncryption with the key and bucket keys on; the role's grant in the partition", async (partition, region, via) => {
    aws.replace(new FakeAws({ region }));
    const key = aws.fake.addKmsKey({ alias: "alias/studio" });
    expect(key.arn.startsWith(`arn:${partition}:kms:${region}:`)).toBe(true);
    const settings = testSettings({ region, bucketKmsKeyArn: key.arn });
    expect(kmsStatement(await s3RolePolicy(settings))).toMatchObject({ Resource: [key.arn], Condition: { StringEquals: { "kms:ViaService": via } } });
    const facts = await observe(settings);
    const row = s3BucketStep.changes(facts, settings).find((c) => c.id === "s3-bucket:encryption")!;
    expect(row).toMatchObject({ action: "create", reason: `SSE-KMS with ${key.arn}, S3 Bucket Keys on` });
    expect(JSON.parse(row.document!)).toEqual({
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: key.arn }, BucketKeyEnabled: true }],
    });
  });

  it("the key must be in the environment's region and partition; an alias is refused", () => {
    const errs = (extra: Record<string, unknown>) => {
      const r = environmentSettingsSchema.safeParse({ ...VALID_SETTINGS, ...extra });
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")} ${i.message}`);
    };
    expect(errs({ bucketKmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" })).toEqual([]);
    expect(errs({ bucketKmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd" })).toEqual([
      "bucketKmsKeyArn must be a key in eu-west-1 (partition aws), not us-east-1 (aws)",
    ]);
    expect(errs({ region: "cn-north-1", bucketKmsKeyArn: "arn:aws:kms:cn-north-1:111122223333:key/1234abcd" })).toEqual([
      "bucketKmsKeyArn must be a key in cn-north-1 (partition aws-cn), not cn-north-1 (aws)",
    ]);
    expect(errs({ bucketKmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:alias/models" })[0]).toMatch(/^bucketKmsKeyArn must be a KMS key ARN/);
  });
});

describe("lifecycle rules", () => {
  it("are in the plan, put with the bucket's own rules kept, and unchanged on the next run", async () => {
    const own = { ID: "archive-logs", Status: "Enabled", Filter: { Prefix: "logs/" }, Expiration: { Days: 90 } };
    aws.fake.buckets.set(BUCKET, {
      owner: "111122223333",
      region: "eu-west-1",
      versioning: "Enabled",
      encryption: "AES256",
      tags: { "managed-by": "studio-iam-console", "studio-environment": "staging" },
      lifecycle: [own],
    });
    const settings = testSettings({ noncurrentVersionExpiryDays: 14 });
    const row = s3BucketStep.changes(await observe(settings), settings).find((c) => c.id === "s3-bucket:lifecycle")!;
    expect(row).toMatchObject({
      action: "update",
      call: "s3:PutLifecycleConfiguration",
      reason: "noncurrent versions expire after 14 days, incomplete multipart uploads are aborted after 7 days; the bucket's 1 own rule(s) kept",
    });
    expect(JSON.parse(row.document!).Rules).toEqual([
      own,
      { ID: "studio-expire-noncurrent-versions", Status: "Enabled", Filter: { Prefix: "" }, NoncurrentVersionExpiration: { NoncurrentDays: 14 } },
      { ID: "studio-abort-incomplete-multipart-uploads", Status: "Enabled", Filter: { Prefix: "" }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
    ]);
    aws.fake.db!.pollsUntilApplied = 1;
    const e = await engine(settings);
    await e.apply();
    expect(aws.fake.buckets.get(BUCKET)!.lifecycle).toHaveLength(3);
    const again = s3BucketStep.changes(await observe(settings), settings).find((c) => c.id === "s3-bucket:lifecycle")!;
    expect(again.action).toBe("unchanged");
    await e.close();
  });
});
