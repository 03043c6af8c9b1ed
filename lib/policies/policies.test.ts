import { describe, expect, it } from "vitest";
import { bucketPolicy, mergeBucketPolicy } from "./bucket-policy";
import { policiesEqual, policyContainsStatement, parsePolicyDocument, toPolicyJson } from "./policy-json";
import { rdsConnectPolicy } from "./rds-connect-policy";
import { s3AccessPolicy } from "./s3-access-policy";
import { podIdentityTrustPolicy, roleTrustPolicy, trustPolicy } from "./trust-policy";

const ACCOUNT = "111122223333";
const PARTITIONS = [
  ["aws", "eu-west-1"],
  ["aws-cn", "cn-northwest-1"],
  ["aws-us-gov", "us-gov-east-1"],
] as const;

describe("rds-db:connect policy", () => {
  it.each(PARTITIONS)("exact JSON in %s for an instance (DbiResourceId)", (partition, region) => {
    const doc = rdsConnectPolicy({
      partition,
      region,
      accountId: ACCOUNT,
      dbKind: "instance",
      resourceId: "db-ABCDEFGHIJKLMNOPQRSTUVWXYZ",
      dbUser: "studio_iam_user",
    });
    expect(toPolicyJson(doc)).toBe(`{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "rds-db:connect"
      ],
      "Resource": [
        "arn:${partition}:rds-db:${region}:${ACCOUNT}:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXYZ/studio_iam_user"
      ]
    }
  ]
}`);
  });

  it("uses the cluster resource id for Aurora", () => {
    const doc = rdsConnectPolicy({
      partition: "aws",
      region: "us-east-1",
      accountId: ACCOUNT,
      dbKind: "cluster",
      resourceId: "cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ",
      dbUser: "studio_iam_user",
    });
    expect(doc.Statement[0].Resource).toEqual([
      `arn:aws:rds-db:us-east-1:${ACCOUNT}:dbuser:cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ/studio_iam_user`,
    ]);
  });

  it("refuses an instance resource id for a cluster and the reverse", () => {
    const base = { partition: "aws", region: "eu-west-1", accountId: ACCOUNT, dbUser: "u" } as const;
    expect(() => rdsConnectPolicy({ ...base, dbKind: "cluster", resourceId: "db-ABC" })).toThrow(/must start with cluster-/);
    expect(() => rdsConnectPolicy({ ...base, dbKind: "instance", resourceId: "cluster-ABC" })).toThrow(/must start with db-/);
    expect(() => rdsConnectPolicy({ ...base, dbKind: "instance", resourceId: "mydb-instance-1" })).toThrow(/must start with db-/);
  });
});

describe("trust policy", () => {
  const issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
  const host = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
  const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}`;
  const base = {
    oidcProviderArn: provider,
    oidcIssuer: issuer,
    namespace: "rasa",
    serviceAccounts: ["studio-backend", "studio-event-ingestion", "studio-database-migration"],
  };

  it("service-accounts: aud and the exact sub list (default)", () => {
    expect(toPolicyJson(trustPolicy({ ...base, scope: "service-accounts" }))).toBe(`{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowStudioServiceAccountsWebIdentity",
      "Effect": "Allow",
      "Principal": {
        "Federated": "${provider}"
      },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "${host}:aud": "sts.amazonaws.com",
          "${host}:sub": [
            "system:serviceaccount:rasa:studio-backend",
            "system:serviceaccount:rasa:studio-event-ingestion",
            "system:serviceaccount:rasa:studio-database-migration"
          ]
        }
      }
    }
  ]
}`);
  });

  it("namespace: aud plus StringLike sub for the namespace", () => {
    expect(trustPolicy({ ...base, scope: "namespace" }).Statement[0].Condition).toEqual({
      StringEquals: { [`${host}:aud`]: "sts.amazonaws.com" },
      StringLike: { [`${host}:sub`]: "system:serviceaccount:rasa:*" },
    });
  });

  it("cluster: the guide's audience-only check", () => {
    expect(trustPolicy({ ...base, scope: "cluster" }).Statement[0].Condition).toEqual({
      StringEquals: { [`${host}:aud`]: "sts.amazonaws.com" },
    });
  });

  it("refuses service-accounts scope without a service account", () => {
    expect(() => trustPolicy({ ...base, serviceAccounts: [], scope: "service-accounts" })).toThrow(/at least one/);
  });
});

describe("S3 access policy", () => {
  it.each(PARTITIONS)("exact JSON in %s", (partition) => {
    expect(toPolicyJson(s3AccessPolicy({ partition, bucketName: "studio-shared-storage-staging" }))).toBe(`{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "StudioModelBucket",
      "Effect": "Allow",
      "Action": [
        "s3:ListBucket",
        "s3:GetBucketLocation",
        "s3:ListBucketMultipartUploads"
      ],
      "Resource": [
        "arn:${partition}:s3:::studio-shared-storage-staging"
      ]
    },
    {
      "Sid": "StudioModelObjects",
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts"
      ],
      "Resource": [
        "arn:${partition}:s3:::studio-shared-storage-staging/*"
      ]
    }
  ]
}`);
  });
});

describe("bucket policy", () => {
  it.each(PARTITIONS)("exact JSON in %s", (partition) => {
    const role = `arn:${partition}:iam::${ACCOUNT}:role/studio-staging-s3-role`;
    const b = `arn:${partition}:s3:::studio-shared-storage-staging`;
    expect(toPolicyJson(bucketPolicy({ partition, bucketName: "studio-shared-storage-staging", s3RoleArn: role }))).toBe(`{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowSharedIAMRoleAccess",
      "Effect": "Allow",
      "Principal": {
        "AWS": "${role}"
      },
      "Action": [
        "s3:ListBucket",
        "s3:GetBucketLocation",
        "s3:ListBucketMultipartUploads"
      ],
      "Resource": [
        "${b}"
      ]
    },
    {
      "Sid": "AllowSharedIAMRoleObjectAccess",
      "Effect": "Allow",
      "Principal": {
        "AWS": "${role}"
      },
      "Action": [
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts"
      ],
      "Resource": [
        "${b}/*"
      ]
    },
    {
      "Sid": "DenyInsecureTransport",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": [
        "${b}",
        "${b}/*"
      ],
      "Condition": {
        "Bool": {
          "aws:SecureTransport": "false"
        }
      }
    }
  ]
}`);
  });

  it("keeps the owner's statements when adopting a bucket and replaces the console's own", () => {
    const ours = bucketPolicy({ partition: "aws", bucketName: "b", s3RoleArn: `arn:aws:iam::${ACCOUNT}:role/r` });
    const existing = {
      Version: "2012-10-17",
      Statement: [
        { Sid: "Audit", Effect: "Allow", Principal: { AWS: "arn:aws:iam::999:root" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" },
        { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::b" },
      ],
    };
    const merged = mergeBucketPolicy(existing, ours);
    expect(merged.Statement.map((s) => s.Sid)).toEqual([
      "Audit",
      "AllowSharedIAMRoleAccess",
      "AllowSharedIAMRoleObjectAccess",
      "DenyInsecureTransport",
    ]);
  });
});

describe("policy JSON helpers", () => {
  it("orders keys the way people read policies, whatever the input order", () => {
    const text = toPolicyJson({ Statement: [{ Resource: "r", Action: "a", Effect: "Allow" }], Version: "2012-10-17" });
    expect(text).toBe(
      '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "a",\n      "Resource": "r"\n    }\n  ]\n}',
    );
  });

  it("parses IAM's URL-encoded documents and S3's plain ones", () => {
    const doc = { Version: "2012-10-17", Statement: [] };
    expect(parsePolicyDocument(encodeURIComponent(JSON.stringify(doc)))).toEqual(doc);
    expect(parsePolicyDocument(JSON.stringify(doc))).toEqual(doc);
    expect(parsePolicyDocument(undefined)).toBeNull();
  });

  it("compares like IAM: statement and list order, one-element lists and strings are the same", () => {
    const a = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: ["x"] },
        { Effect: "Allow", Principal: { AWS: ["r"] }, Action: "s3:ListBucket", Resource: "y", Condition: { StringEquals: { k: ["v"] } } },
      ],
    };
    const b = {
      Statement: [
        { Resource: "y", Action: ["s3:ListBucket"], Principal: { AWS: "r" }, Effect: "Allow", Condition: { StringEquals: { k: "v" } } },
        { Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: "x" },
      ],
      Version: "2012-10-17",
    };
    expect(policiesEqual(a, b)).toBe(true);
    expect(policiesEqual(a, { ...b, Statement: [b.Statement[1]] })).toBe(false);
    expect(policyContainsStatement(a, { Effect: "Allow", Action: "s3:ListBucket", Principal: { AWS: "r" }, Resource: ["y"], Condition: { StringEquals: { k: "v" } } })).toBe(true);
  });
});

describe("EKS Pod Identity trust", () => {
  const base = { accountId: "111122223333", namespace: "rasa", serviceAccounts: ["studio-backend", "studio-event-ingestion"] };
  for (const [partition, region] of [
    ["aws", "eu-west-1"],
    ["aws-cn", "cn-north-1"],
    ["aws-us-gov", "us-gov-west-1"],
  ] as const)
    it(`${partition}: the agent's principal assumes and tags, only for this account's cluster, namespace and service accounts`, () => {
      const clusterArn = `arn:${partition}:eks:${region}:111122223333:cluster/studio-eks`;
      expect(podIdentityTrustPolicy({ ...base, clusterArn, scope: "service-accounts" })).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AllowEksAuthToAssumeRoleForPodIdentity",
            Effect: "Allow",
            Principal: { Service: "pods.eks.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Condition: {
              StringEquals: {
                "aws:SourceAccount": "111122223333",
                "aws:RequestTag/eks-cluster-arn": clusterArn,
                "aws:RequestTag/kubernetes-namespace": "rasa",
                "aws:RequestTag/kubernetes-service-account": ["studio-backend", "studio-event-ingestion"],
              },
            },
          },
        ],
      });
    });

  it("namespace and cluster scopes drop the service account, then the namespace, never the cluster or account", () => {
    const clusterArn = "arn:aws:eks:eu-west-1:111122223333:cluster/studio-eks";
    expect(podIdentityTrustPolicy({ ...base, clusterArn, scope: "namespace" }).Statement[0].Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "111122223333", "aws:RequestTag/eks-cluster-arn": clusterArn, "aws:RequestTag/kubernetes-namespace": "rasa" },
    });
    expect(podIdentityTrustPolicy({ ...base, clusterArn, scope: "cluster" }).Statement[0].Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "111122223333", "aws:RequestTag/eks-cluster-arn": clusterArn },
    });
  });

  it("roleTrustPolicy picks the trust from the settings, and waits for the cluster's ARN", () => {
    const settings = { trustScope: "service-accounts" as const, namespace: "rasa", identityMode: "pod-identity" as const };
    const anchors = { accountId: "111122223333", oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/x", oidcIssuer: "https://x", clusterArn: null };
    expect(roleTrustPolicy({ settings, serviceAccounts: ["a"] }, anchors)).toBeNull();
    const doc = roleTrustPolicy({ settings, serviceAccounts: ["a"] }, { ...anchors, clusterArn: "arn:aws:eks:eu-west-1:111122223333:cluster/c" });
    expect(doc?.Statement[0].Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
    const irsa = roleTrustPolicy({ settings: { ...settings, identityMode: "irsa" }, serviceAccounts: ["a"] }, anchors);
    expect(irsa?.Statement[0].Principal).toEqual({ Federated: "arn:aws:iam::111122223333:oidc-provider/x" });
  });
});
