import { describe, expect, it } from "vitest";
import { bucketArn, oidcIssuerHost, oidcProviderArn, rdsDatabaseArn, rdsDbUserArn, roleArn } from "./arn";

describe("ARNs per partition", () => {
  it.each([
    ["aws", "eu-west-1"],
    ["aws-cn", "cn-north-1"],
    ["aws-us-gov", "us-gov-west-1"],
  ] as const)("%s", (partition, region) => {
    expect(roleArn(partition, "111122223333", "studio-staging-rds-role")).toBe(
      `arn:${partition}:iam::111122223333:role/studio-staging-rds-role`,
    );
    expect(oidcProviderArn(partition, "111122223333", `https://oidc.eks.${region}.amazonaws.com/id/ABC123/`)).toBe(
      `arn:${partition}:iam::111122223333:oidc-provider/oidc.eks.${region}.amazonaws.com/id/ABC123`,
    );
    expect(rdsDbUserArn(partition, region, "111122223333", "db-ABCDEFGHIJKL", "studio_iam_user")).toBe(
      `arn:${partition}:rds-db:${region}:111122223333:dbuser:db-ABCDEFGHIJKL/studio_iam_user`,
    );
    expect(bucketArn(partition, "studio-shared-storage-staging")).toBe(
      `arn:${partition}:s3:::studio-shared-storage-staging`,
    );
    expect(rdsDatabaseArn(partition, region, "111122223333", "cluster", "studio-db")).toBe(
      `arn:${partition}:rds:${region}:111122223333:cluster:studio-db`,
    );
  });

  it("refuses an instance name where the resource id belongs", () => {
    expect(() => rdsDbUserArn("aws", "eu-west-1", "111122223333", "mydb-instance-1", "u")).toThrow(
      /must be a DbiResourceId \(db-…\) or DbClusterResourceId \(cluster-…\)/,
    );
  });

  it("strips the scheme and trailing slash of an issuer", () => {
    expect(oidcIssuerHost("https://oidc.eks.eu-west-1.amazonaws.com/id/X/")).toBe("oidc.eks.eu-west-1.amazonaws.com/id/X");
  });
});
