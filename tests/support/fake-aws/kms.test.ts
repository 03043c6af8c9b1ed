// The fake KMS through the real SDK client: "the bucket's key" — from the bucket's encryption to the key's
// metadata and policy — and KMS's answers for aliases, the AWS managed aws/s3 key and unknown keys.
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, GetKeyPolicyCommand, KMSClient, ListAliasesCommand, NotFoundException } from "@aws-sdk/client-kms";
import { CreateBucketCommand, GetBucketEncryptionCommand, PutBucketEncryptionCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { fakeAwsPerTest } from "./index";

const aws = fakeAwsPerTest();
const kms = () => new KMSClient({ region: "eu-west-1" });

describe("fake KMS", () => {
  it("the bucket's key: the KMSMasterKeyID S3 reads back is described by KMS, with its policy", async () => {
    const key = aws.fake.addKmsKey({ alias: "alias/studio-models", description: "model bucket" });
    const s3 = new S3Client({ region: "eu-west-1" });
    await s3.send(new CreateBucketCommand({ Bucket: "studio-models", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }));
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: "studio-models",
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: "alias/studio-models" } }] },
      }),
    );
    const rule = (await s3.send(new GetBucketEncryptionCommand({ Bucket: "studio-models" }))).ServerSideEncryptionConfiguration!.Rules![0];
    const { KeyMetadata } = await kms().send(new DescribeKeyCommand({ KeyId: rule.ApplyServerSideEncryptionByDefault!.KMSMasterKeyID }));
    expect(KeyMetadata).toMatchObject({ KeyId: key.keyId, Arn: key.arn, AWSAccountId: "111122223333", KeyManager: "CUSTOMER", KeyState: "Enabled", Description: "model bucket" });
    expect(KeyMetadata?.KeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    for (const KeyId of [key.keyId, key.arn, "arn:aws:kms:eu-west-1:111122223333:alias/studio-models"])
      expect((await kms().send(new DescribeKeyCommand({ KeyId }))).KeyMetadata?.KeyId).toBe(key.keyId);
    const { Policy, PolicyName } = await kms().send(new GetKeyPolicyCommand({ KeyId: key.keyId }));
    expect(PolicyName).toBe("default");
    expect(JSON.parse(Policy!).Statement[0]).toMatchObject({ Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*" });
  });

  it("alias/aws/s3 is made on first use as an AWS managed key usable only through S3", async () => {
    const { KeyMetadata } = await kms().send(new DescribeKeyCommand({ KeyId: "alias/aws/s3" }));
    expect(KeyMetadata).toMatchObject({ KeyManager: "AWS" });
    const policy = JSON.parse((await kms().send(new GetKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId }))).Policy!);
    expect(policy.Statement[0].Condition.StringEquals).toEqual({ "kms:CallerAccount": "111122223333", "kms:ViaService": "s3.eu-west-1.amazonaws.com" });
    expect((await kms().send(new ListAliasesCommand({}))).Aliases?.map((a) => a.AliasName)).toEqual(["alias/aws/s3"]);
  });

  it("unknown keys and aliases are NotFoundException (HTTP 400, as KMS answers); CreateKey and CreateAlias make them", async () => {
    const missing = await kms().send(new DescribeKeyCommand({ KeyId: "alias/nope" })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundException);
    expect(missing).toMatchObject({ message: "Alias arn:aws:kms:eu-west-1:111122223333:alias/nope is not found.", $metadata: { httpStatusCode: 400 } });
    await expect(kms().send(new GetKeyPolicyCommand({ KeyId: "1234abcd-12ab-34cd-56ef-1234567890ab" }))).rejects.toMatchObject({
      message: "Key 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' does not exist",
    });
    const { KeyMetadata } = await kms().send(new CreateKeyCommand({ Description: "made by a test" }));
    await kms().send(new CreateAliasCommand({ AliasName: "alias/made", TargetKeyId: KeyMetadata!.KeyId }));
    expect((await kms().send(new DescribeKeyCommand({ KeyId: "alias/made" }))).KeyMetadata?.Description).toBe("made by a test");
  });
});
