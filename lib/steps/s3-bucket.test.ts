import { describe, expect, it } from "vitest";
import { FakeAws, fakeAwsPerTest } from "@/tests/support/fake-aws";
import { actionsOf, applyStep, executeChanges, observe } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";
import { s3BucketStep } from "./s3-bucket";
import { createBucketPolicyStep, s3BucketPolicyStep } from "./s3-bucket-policy";
import { s3RoleStep } from "./s3-role";

const aws = fakeAwsPerTest();
const env = testSettings();
const BUCKET = "studio-shared-storage-staging";
const ROLE = "arn:aws:iam::111122223333:role/studio-staging-s3-role";

/** The S3 role exists (its ARN is the bucket policy's principal), as after the s3-role step. */
async function withRole(e = env) {
  await applyStep(s3RoleStep, e);
  aws.fake.clearLog();
}

const SETTINGS_CALLS = ["PutBucketTagging", "PutBucketVersioning", "PutBucketEncryption", "PutBucketLifecycleConfiguration", "PutPublicAccessBlock"];

/** The bucket, then its policy (the s3-bucket-policy step), from one observation as in a run. */
async function applyBucket(e = env) {
  const facts = await observe(e);
  for (const step of [s3BucketStep, s3BucketPolicyStep]) {
    const blockers = step.blockers?.(facts, e) ?? [];
    if (blockers.length) throw new Error(blockers.join("; "));
  }
  const changes = [...s3BucketStep.changes(facts, e), ...s3BucketPolicyStep.changes(facts, e)];
  return { changes, ...(await executeChanges(e, facts, changes)) };
}

describe("s3-bucket step", () => {
  it("fresh account in eu-west-1: creates with LocationConstraint, then every setting, each logged with its request id", async () => {
    await withRole();
    const { changes, logs } = await applyBucket();
    expect(changes.map((c) => c.action)).toEqual(Array(7).fill("create"));
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(["CreateBucket", ...SETTINGS_CALLS, "PutBucketPolicy"]);
    // Once the bucket exists its settings wait for nothing else (the runner puts them side by side).
    expect(changes.slice(1, 6).map((c) => c.after)).toEqual(Array(5).fill(["s3-bucket:bucket"]));
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
    // The policy sent is the document the plan showed.
    expect(policy).toEqual(JSON.parse(changes.find((c) => c.id === "s3-bucket-policy:policy")!.document!));
    expect(logs.filter((l) => l.requestId)).toHaveLength(7);
  });

  it("us-east-1: CreateBucket without a LocationConstraint", async () => {
    const east = testSettings({ region: "us-east-1" });
    aws.replace(new FakeAws({ region: "us-east-1" }));
    await withRole(east);
    await applyBucket(east);
    expect(aws.fake.calls("CreateBucket")[0].input).toEqual({ Bucket: BUCKET });
    expect(aws.fake.buckets.get(BUCKET)?.region).toBe("us-east-1");
  });

  it("second run: all unchanged, zero mutating calls", async () => {
    await withRole();
    await applyBucket();
    aws.fake.clearLog();
    const { changes } = await applyBucket();
    expect(aws.fake.mutatingCalls()).toEqual([]);
    expect(changes.map((c) => c.action)).toEqual(Array(7).fill("unchanged"));
  });

  it("drift: suspended versioning, a missing block and a policy without the console's statements are converged; SSE-KMS kept (bucket keys on); the owner's statements and tags are kept", async () => {
    await withRole();
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
    const facts = await observe(env);
    const changes = [...s3BucketStep.changes(facts, env), ...s3BucketPolicyStep.changes(facts, env)];
    // Not tagged for this environment: the tags row is the adoption.
    expect(changes.map((c) => c.action)).toEqual(["unchanged", "adopt", "update", "update", "update", "update", "update"]);
    expect(changes[3].reason).toBe("aws:kms with the AWS managed key aws/s3 kept; S3 Bucket Keys turned on");
    aws.fake.clearLog();
    await applyBucket();
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual([...SETTINGS_CALLS, "PutBucketPolicy"]);
    const b = aws.fake.buckets.get(BUCKET)!;
    expect(b.tags).toEqual({ "cost-center": "ml", "managed-by": "studio-iam-console", "studio-environment": "staging", "studio-adopted": "true" });
    expect(JSON.parse(b.policy!).Statement[0]).toEqual(ownerStatement);
    expect(JSON.parse(b.policy!).Statement).toHaveLength(4);
    expect(b).toMatchObject({ encryption: "aws:kms", bucketKeyEnabled: true });
  });

  it("a bucket already in this account is adopted (an adopt row): no CreateBucket", async () => {
    await withRole();
    aws.fake.buckets.set(BUCKET, { owner: "111122223333", region: "eu-west-1" });
    await applyBucket();
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual([...SETTINGS_CALLS, "PutBucketPolicy"]);
  });

  it("a bucket of another account: a blocker with a clear message, no change, nothing touched", async () => {
    aws.fake.buckets.set(BUCKET, { owner: "999988887777", region: "eu-west-1" });
    const facts = await observe(env);
    expect(s3BucketStep.changes(facts, env)).toEqual([]);
    expect(s3BucketPolicyStep.changes(facts, env)).toEqual([]);
    expect(s3BucketStep.blockers!(facts, env)).toEqual([
      expect.stringMatching(/bucket studio-shared-storage-staging exists and is not owned by account 111122223333 .*choose another name/),
    ]);
    await expect(applyStep(s3BucketStep, env)).rejects.toThrow(/not owned by account 111122223333/);
    expect(aws.fake.mutatingCalls()).toEqual([]);
    expect(aws.fake.buckets.get(BUCKET)).toEqual({ owner: "999988887777", region: "eu-west-1" });
  });

  it("the name taken by another account between the read and CreateBucket: a clear error, nothing after it", async () => {
    await withRole();
    aws.fake.before("CreateBucket", () => aws.fake.buckets.set(BUCKET, { owner: "999988887777", region: "eu-west-1" }));
    await expect(applyBucket()).rejects.toThrow(/just taken by another account/);
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(["CreateBucket"]);
  });

  it("AccessDenied with S3's terse message: names s3:PutEncryptionConfiguration and the caller", async () => {
    await withRole();
    aws.fake.deny("PutBucketEncryption", "s3:PutEncryptionConfiguration", { s3Style: true });
    await expect(applyStep(s3BucketStep, env)).rejects.toThrow(
      /access denied: arn:aws:iam::111122223333:user\/platform-admin is not allowed to call s3:PutEncryptionConfiguration\. .*AWS said: Access Denied \(AWS request id req-\d+\)/,
    );
    // The changes before it went through (the runner checkpoints each): a retry continues from there.
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(["CreateBucket", "PutBucketTagging", "PutBucketVersioning", "PutBucketEncryption"]);
  });

  it("waits for IAM to propagate a just-created role before the bucket policy takes it", async () => {
    await withRole();
    const role = aws.fake.roles.get("studio-staging-s3-role")!;
    const facts = await observe(env);
    aws.fake.roles.delete("studio-staging-s3-role");
    aws.fake.before("PutBucketPolicy", () => aws.fake.before("PutBucketPolicy", () => aws.fake.roles.set("studio-staging-s3-role", role)));
    const step = createBucketPolicyStep({ principalRetryMs: 1 });
    const { logs } = await executeChanges(env, facts, [...s3BucketStep.changes(facts, env), ...step.changes(facts, env)]);
    expect(aws.fake.calls("PutBucketPolicy")).toHaveLength(2);
    expect(logs.some((l) => /IAM propagation/.test(l.message))).toBe(true);
  });

  it("throttled CreateBucket, then success: retried by the SDK", async () => {
    await withRole();
    aws.fake.routeThroughSdk("s3");
    aws.fake.throttle("CreateBucket");
    await applyBucket();
    expect(aws.fake.calls("CreateBucket")).toHaveLength(2);
    expect(aws.fake.buckets.get(BUCKET)?.versioning).toBe("Enabled");
  });

  it("the plan lists the bucket's settings even before it exists", async () => {
    expect((await actionsOf(s3BucketStep, env)).map(([call]) => call)).toEqual([
      "s3:CreateBucket",
      "s3:PutBucketTagging",
      "s3:PutBucketVersioning",
      "s3:PutBucketEncryption",
      "s3:PutLifecycleConfiguration",
      "s3:PutPublicAccessBlock",
    ]);
    expect((await actionsOf(s3BucketPolicyStep, env)).map(([call]) => call)).toEqual(["s3:PutBucketPolicy"]);
  });
});
