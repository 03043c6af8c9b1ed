import { describe, expect, it } from "vitest";
import { fakeAwsPerTest } from "@/tests/support/fake-aws";
import { stepContext } from "@/tests/support/step-context";
import { testSettings } from "@/tests/support/settings";
import { discoverStep } from "./discover";
import { discoverEnvironment } from "./discover-environment";

const aws = fakeAwsPerTest();
const env = testSettings();

describe("discoverEnvironment", () => {
  it("fresh account: what is missing is null or missing, not an error", async () => {
    const o = await discoverEnvironment(env);
    expect(o).toEqual({
      identity: { accountId: "111122223333", arn: "arn:aws:iam::111122223333:user/platform-admin", partition: "aws" },
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
      oidcProvider: null,
      roles: { rds: null, s3: null },
      bucket: { state: "missing", name: "studio-shared-storage-staging" },
    });
    expect(aws.fake.mutatingCalls()).toEqual([]);
  });

  it("an owned bucket is read in full; a foreign one only headed", async () => {
    aws.fake.buckets.set("studio-shared-storage-staging", {
      owner: "111122223333",
      region: "eu-central-1",
      versioning: "Enabled",
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [] }),
    });
    expect((await discoverEnvironment(env)).bucket).toEqual({
      state: "owned",
      name: "studio-shared-storage-staging",
      region: "eu-central-1",
      versioning: "Enabled",
      encryption: null,
      publicAccessBlock: null,
      policy: { Version: "2012-10-17", Statement: [] },
      tags: {},
    });
    aws.fake.buckets.set("studio-shared-storage-staging", { owner: "999988887777", region: "eu-west-1" });
    aws.fake.clearLog();
    const o = await discoverEnvironment(env);
    expect(o.bucket).toMatchObject({ state: "foreign" });
    expect(aws.fake.calls().filter((c) => c.service === "s3").map((c) => c.command)).toEqual(["HeadBucket"]);
    expect(aws.fake.calls("HeadBucket")[0].input).toEqual({ Bucket: "studio-shared-storage-staging", ExpectedBucketOwner: "111122223333" });
  });

  it("a missing cluster and database are null", async () => {
    aws.fake.cluster = null;
    aws.fake.db = null;
    const o = await discoverEnvironment(env);
    expect(o.cluster).toBeNull();
    expect(o.database).toBeNull();
    expect(o.oidcProvider).toBeNull();
  });

  it("AccessDenied on a read fails discovery with the action and the caller", async () => {
    aws.fake.deny("GetRole", "iam:GetRole");
    await expect(discoverEnvironment(env)).rejects.toThrow(/platform-admin is not allowed to call iam:GetRole/);
  });
});

describe("discover step", () => {
  it("returns the flat outputs later steps rely on", async () => {
    const ctx = stepContext(env);
    expect(await discoverStep.apply(ctx)).toEqual({
      accountId: "111122223333",
      callerArn: "arn:aws:iam::111122223333:user/platform-admin",
      partition: "aws",
      oidcIssuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
      oidcProviderArn: null,
      dbKind: "instance",
      dbEndpoint: "studio-db.abc123.eu-west-1.rds.amazonaws.com",
      dbPort: 5432,
      dbEngine: "postgres",
      dbResourceId: "db-ABCDEFGHIJKLMNOPQRSTUVWXY1",
      dbIamAuthEnabled: false,
      bucketState: "missing",
    });
    expect(ctx.logs.length).toBeGreaterThan(0);
  });

  it("stops with a clear error when the cluster or the database does not exist", async () => {
    aws.fake.cluster = null;
    await expect(discoverStep.apply(stepContext(env))).rejects.toThrow(/EKS cluster studio-eks not found in eu-west-1/);
    aws.fake.cluster = { name: "studio-eks", issuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/X" };
    aws.fake.db = null;
    await expect(discoverStep.apply(stepContext(env))).rejects.toThrow(/RDS DB instance studio-db not found in eu-west-1/);
  });
});
