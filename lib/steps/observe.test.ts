// One observation of the whole environment through every step's `observe`: what exists and what does not, each
// resource read once, a read that AWS refuses named with its step.
import { describe, expect, it } from "vitest";
import { fakeAwsPerTest } from "@/tests/support/fake-aws";
import { observe } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";
import { buildPlan } from "./plan";
import { ObserveError } from "./observe";

const aws = fakeAwsPerTest();
const env = testSettings();

describe("observation", () => {
  it("fresh account: what is missing is null or missing, not an error; nothing is changed", async () => {
    const facts = await observe(env);
    expect(facts.identity).toEqual({ accountId: "111122223333", arn: "arn:aws:iam::111122223333:user/platform-admin", partition: "aws" });
    expect(facts.discover).toMatchObject({
      cluster: { name: "studio-eks", oidcIssuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE", status: "ACTIVE" },
      database: {
        kind: "instance",
        identifier: "studio-db",
        engine: "postgres",
        endpoint: "studio-db.abc123.eu-west-1.rds.amazonaws.com",
        port: 5432,
        resourceId: "db-ABCDEFGHIJKLMNOPQRSTUVWXY1",
        iamAuthEnabled: false,
        status: "available",
        pendingModifications: [],
      },
    });
    expect(facts["oidc-provider"]).toEqual({ provider: null });
    expect(facts["rds-role"]).toBeNull();
    expect(facts["s3-role"]).toBeNull();
    expect(facts["s3-bucket"]).toEqual({ state: "missing", name: "studio-shared-storage-staging" });
    // The grants are read when they run (or with DB credentials), not in a plain observation.
    expect(facts).not.toHaveProperty("db-grants");
    expect(aws.fake.mutatingCalls()).toEqual([]);
  });

  it("reads each resource once, however many steps look at it", async () => {
    await observe(env);
    const counts = Object.fromEntries(["GetCallerIdentity", "DescribeCluster", "DescribeDBInstances", "HeadBucket"].map((c) => [c, aws.fake.calls(c).length]));
    expect(counts).toEqual({ GetCallerIdentity: 1, DescribeCluster: 1, DescribeDBInstances: 1, HeadBucket: 1 });
  });

  it("an owned bucket is read in full, each read naming the owner; a foreign one blocks the S3 steps", async () => {
    aws.fake.buckets.set("studio-shared-storage-staging", {
      owner: "111122223333",
      region: "eu-central-1",
      versioning: "Enabled",
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [] }),
    });
    expect((await observe(env))["s3-bucket"]).toEqual({
      state: "owned",
      name: "studio-shared-storage-staging",
      region: "eu-central-1",
      versioning: "Enabled",
      encryption: null,
      kmsKeyId: null,
      bucketKeyEnabled: false,
      lifecycle: null,
      publicAccessBlock: null,
      policy: { Version: "2012-10-17", Statement: [] },
      tags: {},
    });
    aws.fake.buckets.set("studio-shared-storage-staging", { owner: "999988887777", region: "eu-west-1" });
    aws.fake.clearLog();
    const facts = await observe(env);
    expect(facts["s3-bucket"]).toMatchObject({ state: "foreign" });
    // Every read of the bucket names this account as its expected owner: S3 answers nothing about someone else's.
    const s3 = aws.fake.calls().filter((c) => c.service === "s3");
    expect(s3.map((c) => c.command)).toContain("HeadBucket");
    for (const c of s3) expect(c.input, c.command).toMatchObject({ Bucket: "studio-shared-storage-staging", ExpectedBucketOwner: "111122223333" });
    const plan = buildPlan(env, facts);
    expect(plan.steps.find((s) => s.key === "s3-role")?.blockers[0]).toMatch(/belongs to another account/);
    expect(plan.steps.find((s) => s.key === "s3-bucket")?.blockers[0]).toMatch(/not owned by account 111122223333/);
  });

  it("a missing cluster and database are null, and block the apply at discovery", async () => {
    aws.fake.cluster = null;
    aws.fake.db = null;
    const facts = await observe(env);
    expect(facts.discover).toEqual({ cluster: null, database: null });
    expect(facts["oidc-provider"]).toEqual({ provider: null });
    const blockers = buildPlan(env, facts).steps.find((s) => s.key === "discover")!.blockers;
    expect(blockers).toEqual([
      "EKS cluster studio-eks not found in eu-west-1 (eks:DescribeCluster): check the cluster name and region",
      "RDS DB instance studio-db not found in eu-west-1 (rds:DescribeDBInstances)",
    ]);
  });

  it("AccessDenied on a read fails the observation naming the step, the action and the caller", async () => {
    aws.fake.deny("GetRole", "iam:GetRole");
    const error = await observe(env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObserveError);
    expect((error as ObserveError).step).toMatch(/^(rds|s3)-role$/);
    expect((error as Error).message).toMatch(/platform-admin is not allowed to call iam:GetRole/);
  });
});
