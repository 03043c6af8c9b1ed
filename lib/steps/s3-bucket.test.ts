import { describe, expect, it } from "vitest";
import { FakeAws, fakeAwsPerTest } from "@/tests/support/fake-aws";
import { applySteps, stepContext } from "@/tests/support/step-context";
import { testSettings } from "@/tests/support/settings";
import { discoverStep } from "./discover";
import { discoverEnvironment } from "./discover-environment";
import { identityStep } from "./identity";
import { oidcProviderStep } from "./oidc-provider";
import { createS3BucketStep, s3BucketStep } from "./s3-bucket";
import { s3RoleStep } from "./s3-role";

const aws = fakeAwsPerTest();
const env = testSettings();
const BUCKET = "studio-shared-storage-staging";
const ROLE = "arn:aws:iam::111122223333:role/studio-staging-s3-role";

async function prior(e = env) {
  return (await applySteps(e, [identityStep, discoverStep, oidcProviderStep, s3RoleStep])).outputs;
}

const SETTINGS_CALLS = ["PutBucketTagging", "PutBucketVersioning", "PutBucketEncryption", "PutPublicAccessBlock", "PutBucketPolicy"];

describe("s3-bucket step", () => {
  it("fresh account in eu-west-1: creates with LocationConstraint, then every setting, checkpointing after each", async () => {
    const ctx = stepContext(env, { outputs: await prior() });
    aws.fake.clearLog();
    await expect(s3BucketStep.apply(ctx)).resolves.toEqual({
      bucketName: BUCKET,
      bucketArn: `arn:aws:s3:::${BUCKET}`,
      bucketRegion: "eu-west-1",
    });
    // A new bucket comes with SSE-S3 and all public access blocked (S3's defaults since 2023).
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(["CreateBucket", "PutBucketTagging", "PutBucketVersioning", "PutBucketPolicy"]);
    expect(aws.fake.calls("CreateBucket")[0].input).toEqual({
      Bucket: BUCKET,
      CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
    });
    const b = aws.fake.buckets.get(BUCKET)!;
    expect(b).toMatchObject({
      versioning: "Enabled",
      encryption: "AES256",
      publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      tags: { "managed-by": "studio-iam-console", "studio-environment": "staging" },
    });
    const policy = JSON.parse(b.policy!);
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      "AllowSharedIAMRoleAccess",
      "AllowSharedIAMRoleObjectAccess",
      "DenyInsecureTransport",
    ]);
    expect(policy.Statement[0].Principal).toEqual({ AWS: ROLE });
    expect(ctx.checkpoints).toHaveLength(4);
    expect(ctx.logs.filter((l) => l.requestId)).toHaveLength(4);
  });

  it("us-east-1: CreateBucket without a LocationConstraint", async () => {
    const east = testSettings({ region: "us-east-1" });
    aws.replace(new FakeAws({ region: "us-east-1" }));
    await s3BucketStep.apply(stepContext(east, { outputs: await prior(east) }));
    expect(aws.fake.calls("CreateBucket")[0].input).toEqual({ Bucket: BUCKET });
    expect(aws.fake.buckets.get(BUCKET)?.region).toBe("us-east-1");
  });

  it("second run: unchanged, zero mutating calls, plan all unchanged, verify all ok", async () => {
    const outputs = await prior();
    await s3BucketStep.apply(stepContext(env, { outputs }));
    aws.fake.clearLog();
    const ctx = stepContext(env, { outputs });
    await s3BucketStep.apply(ctx);
    expect(aws.fake.mutatingCalls()).toEqual([]);
    expect(ctx.checkpoints).toEqual([]);
    const plan = s3BucketStep.plan(env, await discoverEnvironment(env));
    expect(plan.map((c) => c.action)).toEqual(Array(6).fill("unchanged"));
    expect((await s3BucketStep.verify(ctx)).every((c) => c.ok)).toBe(true);
  });

  it("drift: suspended versioning, KMS, a missing block and a policy without the console's statements are converged; the owner's statements and tags are kept", async () => {
    const outputs = await prior();
    const ownerStatement = { Sid: "AuditRead", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/audit" }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` };
    aws.fake.addRole("audit", {});
    aws.fake.buckets.set(BUCKET, {
      owner: "111122223333",
      region: "eu-west-1",
      versioning: "Suspended",
      encryption: "aws:kms",
      publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: true },
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [ownerStatement] }),
      tags: { "cost-center": "ml" },
    });
    const plan = s3BucketStep.plan(env, await discoverEnvironment(env));
    expect(plan.map((c) => c.action)).toEqual(["unchanged", "update", "update", "update", "update", "update"]);
    expect(plan[3].reason).toMatch(/aws:kms/);
    aws.fake.clearLog();
    await s3BucketStep.apply(stepContext(env, { outputs }));
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(SETTINGS_CALLS);
    const b = aws.fake.buckets.get(BUCKET)!;
    expect(b.tags).toEqual({ "cost-center": "ml", "managed-by": "studio-iam-console", "studio-environment": "staging" });
    expect(JSON.parse(b.policy!).Statement[0]).toEqual(ownerStatement);
    expect(JSON.parse(b.policy!).Statement).toHaveLength(4);
  });

  it("a bucket already in this account is adopted: no CreateBucket", async () => {
    const outputs = await prior();
    aws.fake.buckets.set(BUCKET, { owner: "111122223333", region: "eu-west-1" });
    aws.fake.clearLog();
    await s3BucketStep.apply(stepContext(env, { outputs }));
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(SETTINGS_CALLS);
  });

  it("a bucket of another account: a clear error and nothing touched", async () => {
    const outputs = await prior();
    aws.fake.buckets.set(BUCKET, { owner: "999988887777", region: "eu-west-1" });
    aws.fake.clearLog();
    const ctx = stepContext(env, { outputs });
    await expect(s3BucketStep.apply(ctx)).rejects.toThrow(
      /bucket studio-shared-storage-staging exists and is not owned by account 111122223333 .*choose another name/,
    );
    expect(aws.fake.mutatingCalls()).toEqual([]);
    expect(ctx.checkpoints).toEqual([]);
    expect(aws.fake.buckets.get(BUCKET)).toEqual({ owner: "999988887777", region: "eu-west-1" });
    const plan = s3BucketStep.plan(env, await discoverEnvironment(env));
    expect(plan).toMatchObject([{ action: "read", warnings: [expect.stringMatching(/not owned by account/)] }]);
  });

  it("the name taken by another account between the read and CreateBucket: a clear error", async () => {
    const ctx = stepContext(env, { outputs: await prior() });
    aws.fake.before("CreateBucket", () => aws.fake.buckets.set(BUCKET, { owner: "999988887777", region: "eu-west-1" }));
    await expect(s3BucketStep.apply(ctx)).rejects.toThrow(/just taken by another account/);
    expect(aws.fake.mutatingCalls().map((c) => c.command)).not.toContain("PutBucketPolicy");
  });

  it("AccessDenied with S3's terse message: names s3:PutEncryptionConfiguration and the caller from the identity step", async () => {
    aws.fake.deny("PutBucketEncryption", "s3:PutEncryptionConfiguration", { s3Style: true });
    aws.fake.buckets.set(BUCKET, { owner: "111122223333", region: "eu-west-1" });
    const ctx = stepContext(env, { outputs: await prior() });
    await expect(s3BucketStep.apply(ctx)).rejects.toThrow(
      /access denied: arn:aws:iam::111122223333:user\/platform-admin is not allowed to call s3:PutEncryptionConfiguration\. .*AWS said: Access Denied \(AWS request id req-\d+\)/,
    );
    // What was done before the refusal is checkpointed, so a retry resumes from there.
    expect(ctx.checkpoints.length).toBeGreaterThan(0);
  });

  it("waits for IAM to propagate a just-created role before the bucket policy takes it", async () => {
    const outputs = await prior();
    const role = aws.fake.roles.get("studio-staging-s3-role")!;
    aws.fake.roles.delete("studio-staging-s3-role");
    aws.fake.before("PutBucketPolicy", () => aws.fake.before("PutBucketPolicy", () => aws.fake.roles.set("studio-staging-s3-role", role)));
    const ctx = stepContext(env, { outputs });
    await createS3BucketStep({ principalRetryMs: 1 }).apply(ctx);
    expect(aws.fake.calls("PutBucketPolicy")).toHaveLength(2);
    expect(ctx.logs.some((l) => /IAM propagation/.test(l.message))).toBe(true);
  });

  it("throttled CreateBucket, then success: retried by the SDK", async () => {
    const outputs = await prior();
    aws.fake.routeThroughSdk("s3");
    aws.fake.throttle("CreateBucket");
    await s3BucketStep.apply(stepContext(env, { outputs }));
    expect(aws.fake.calls("CreateBucket")).toHaveLength(2);
    expect(aws.fake.buckets.get(BUCKET)?.versioning).toBe("Enabled");
  });
});
