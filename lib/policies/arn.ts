// ARNs of the resources the guide touches, for any partition (aws, aws-cn, aws-us-gov).
import type { Partition } from "../config/aws-names";

/**
 * `arn:<partition>:iam::<account>:role<path><name>`: what the Helm annotation `eks.amazonaws.com/role-arn` holds.
 * The path (`/` by default, `/platform/studio/`) is part of the ARN. Where IAM has answered, its ARN is used instead.
 */
export function roleArn(partition: Partition, accountId: string, roleName: string, path = "/"): string {
  return `arn:${partition}:iam::${accountId}:role${path}${roleName}`;
}

/** The issuer URL without its scheme or trailing slash: how IAM names the provider and the condition keys. */
export function oidcIssuerHost(issuerUrl: string): string {
  return issuerUrl.replace(/^https?:\/\//i, "").replace(/\/+$/, "");
}

/** `arn:<partition>:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>`. */
export function oidcProviderArn(partition: Partition, accountId: string, issuerUrl: string): string {
  return `arn:${partition}:iam::${accountId}:oidc-provider/${oidcIssuerHost(issuerUrl)}`;
}

/**
 * The `rds-db:connect` resource of one IAM database user. `resourceId` is the instance's `DbiResourceId`
 * (`db-…`) or the Aurora cluster's `DbClusterResourceId` (`cluster-…`), never the instance name.
 */
export function rdsDbUserArn(
  partition: Partition,
  region: string,
  accountId: string,
  resourceId: string,
  dbUser: string,
): string {
  if (!/^(db|cluster)-[A-Za-z0-9]+$/.test(resourceId))
    throw new Error(
      `RDS resource id "${resourceId}" must be a DbiResourceId (db-…) or DbClusterResourceId (cluster-…), not the instance name`,
    );
  return `arn:${partition}:rds-db:${region}:${accountId}:dbuser:${resourceId}/${dbUser}`;
}

/** `arn:<partition>:s3:::<bucket>` (S3 ARNs carry neither region nor account). */
export function bucketArn(partition: Partition, bucketName: string): string {
  return `arn:${partition}:s3:::${bucketName}`;
}

/** The ARN of an RDS instance (`db:`) or Aurora cluster (`cluster:`), for resource-scoped operator permissions. */
export function rdsDatabaseArn(
  partition: Partition,
  region: string,
  accountId: string,
  kind: "instance" | "cluster",
  identifier: string,
): string {
  return `arn:${partition}:rds:${region}:${accountId}:${kind === "instance" ? "db" : "cluster"}:${identifier}`;
}
