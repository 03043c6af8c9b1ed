// A bucket made by hand with SSE-KMS under a customer key, against AWS_ENDPOINT_URL: planned as adopt; once
// confirmed, the apply keeps aws:kms and the key (bucket keys on), grants the S3 role the key, and puts the
// lifecycle rules; a second apply changes nothing; the access matrix reads the key policy and proves the grant.
import { CreateKeyCommand, CreateAliasCommand, ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import { CreateBucketCommand, GetBucketEncryptionCommand, GetBucketLifecycleConfigurationCommand, PutBucketEncryptionCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsCallCounter } from "@/lib/aws/call-counter";
import { awsClients } from "@/lib/aws/clients";
import type { ObservedRole } from "@/lib/aws/iam";
import type { EnvironmentSettings } from "@/lib/config/environment";
import { statementsOf } from "@/lib/policies/policy-json";
import { providerArnOf } from "@/lib/steps/oidc-provider";
import { accessCheckStep, storedMatrix } from "@/lib/steps/access-check";
import { STEPS } from "@/lib/steps";
import { S3_POLICY_NAME } from "@/lib/steps/role-step";
import type { Facts } from "@/lib/steps/types";
import { engine, observe, type Engine } from "@/tests/support/engine";
import { liveEndpoint } from "./endpoint-guard";
import { liveSettings, prepareLive, removeAll } from "./fixtures";

const endpoint = liveEndpoint();
const env: EnvironmentSettings = liveSettings("live-kms", "kms");

describe.skipIf(!endpoint)(`live AWS: a bucket on SSE-KMS against ${endpoint}`, () => {
  const counter = new AwsCallCounter();
  let fixturesCreated = false;
  let after: Facts | null = null;
  let e: Engine;
  let keyArn = "";

  beforeAll(async () => {
    fixturesCreated = await prepareLive(endpoint!, env);
    const c = awsClients(env.region);
    const key = await c.kms.send(new CreateKeyCommand({ Description: `studio live ${env.bucketName}` }));
    keyArn = key.KeyMetadata!.Arn!;
    await c.kms.send(new CreateAliasCommand({ AliasName: `alias/${env.bucketName}`, TargetKeyId: key.KeyMetadata!.KeyId! }));
    await c.s3.send(
      new CreateBucketCommand({ Bucket: env.bucketName, ...(env.region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: env.region as "eu-west-1" } }) }),
    );
    await c.s3.send(
      new PutBucketEncryptionCommand({
        Bucket: env.bucketName,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: `alias/${env.bucketName}` } }] },
      }),
    );
    counter.attach(c);
    e = await engine(env);
  });

  afterAll(async () => {
    if (!fixturesCreated) return;
    await e?.close();
    const problems = await removeAll(env, after ? providerArnOf(after) : null);
    if (keyArn) await awsClients(env.region).kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyArn, PendingWindowInDays: 7 })).catch(() => undefined);
    if (problems.length) console.warn(`live AWS KMS suite: cleanup left ${problems.join(", ")}`);
  });

  it("adopted on confirmation: aws:kms and the key kept with bucket keys on, the S3 role granted the key, lifecycle rules put", async () => {
    const { view } = await e.apply({ confirmedAdoptions: [env.bucketName] });
    for (const key of ["s3-bucket", "s3-role", "s3-bucket-policy"]) expect(view.steps.find((s) => s.key === key)?.status, key).toBe("succeeded");
    const c = awsClients(env.region);
    const enc = await c.s3.send(new GetBucketEncryptionCommand({ Bucket: env.bucketName }));
    const rule = enc.ServerSideEncryptionConfiguration!.Rules![0];
    expect(rule.ApplyServerSideEncryptionByDefault).toMatchObject({ SSEAlgorithm: "aws:kms", KMSMasterKeyID: `alias/${env.bucketName}` });
    expect(rule.BucketKeyEnabled).toBe(true);
    const lifecycle = await c.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: env.bucketName }));
    expect(lifecycle.Rules!.map((r) => r.ID).sort()).toEqual(["studio-abort-incomplete-multipart-uploads", "studio-expire-noncurrent-versions"]);
    after = await observe(env);
    const role = after["s3-role"] as ObservedRole;
    const grant = statementsOf(role.inlinePolicies[S3_POLICY_NAME]).find((s) => s.Sid === "StudioModelBucketKmsKey");
    expect(grant).toMatchObject({ Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [keyArn] });
  });

  it("a second apply changes nothing", async () => {
    counter.reset();
    await e.apply();
    expect(counter.mutating()).toEqual([]);
  });

  it("the access matrix reads the key policy: the S3 role may use the key through S3, the RDS role may not", async () => {
    const facts = await observe(env, { steps: [...STEPS, accessCheckStep] });
    const proof = await accessCheckStep.prove!(facts, env);
    const matrix = storedMatrix({ report: proof.report });
    expect(matrix, JSON.stringify(proof.checks)).not.toBeNull();
    const rows = matrix!.rows.filter((r) => r.group === "key");
    expect(Object.fromEntries(rows.map((r) => [r.id, r.decision]))).toEqual({
      "kms-decrypt": "allowed",
      "kms-generate-data-key": "allowed",
      "kms-rds-role-decrypt": "denied",
    });
  });
});
