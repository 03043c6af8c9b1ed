import { describe, expect, it } from "vitest";
import type { PolicyStatement } from "@/lib/policies/types";
import { testSettings } from "@/tests/support/settings";
import { accessCheckStep } from "./access-check";
import { STEPS } from "./index";
import { operatorActions, operatorPolicy } from "./operator-policy";
import type { Step } from "./types";

function statementWith(doc: { Statement: PolicyStatement[] }, action: string) {
  return doc.Statement.find((s) => ([] as string[]).concat(s.Action).includes(action));
}

describe("operator policy", () => {
  it("is derived from the step catalogue and the access run's step: every action a step declares is in it, nothing else but the pickers", () => {
    const declared = new Set([...STEPS, accessCheckStep].flatMap((s) => s.permissions.flatMap((p) => p.actions)));
    const actions = operatorActions({ includePickers: false, includeModelRuns: false });
    expect(new Set(actions)).toEqual(declared);
    expect(actions).toContain("iam:CreateRole");
    expect(actions).toContain("s3:PutEncryptionConfiguration");
    expect(actions).not.toContain("iam:*");
    // The access matrix reads the bucket key's policy.
    expect(actions).toContain("kms:GetKeyPolicy");
    expect(operatorActions()).toEqual(expect.arrayContaining(["eks:ListClusters", "s3:ListAllMyBuckets"]));
  });

  it("a step added to the catalogue adds its actions on its resources", () => {
    const extra: Step = { ...STEPS[0], key: "extra", permissions: [{ actions: ["iam:ListRoleTags"], resources: () => ["arn:aws:iam::*:role/x"] }] };
    expect(operatorActions({ steps: [...STEPS, extra] })).toContain("iam:ListRoleTags");
    expect(statementWith(operatorPolicy(undefined, { steps: [...STEPS, extra] }), "iam:ListRoleTags")?.Resource).toEqual(["arn:aws:iam::*:role/x"]);
  });

  it("for any environment: each action on every resource of its type, `*` only for the resource-less list calls", () => {
    const doc = operatorPolicy();
    expect(doc.Version).toBe("2012-10-17");
    expect(statementWith(doc, "iam:CreateRole")?.Resource).toEqual(["arn:aws:iam::*:role/*"]);
    expect(statementWith(doc, "s3:PutBucketPolicy")?.Resource).toEqual(["arn:aws:s3:::*"]);
    expect(statementWith(doc, "sts:GetCallerIdentity")).toMatchObject({ Sid: "ReadOnlyLookups", Resource: ["*"] });
    expect(statementWith(doc, "sts:GetCallerIdentity")!.Action).toEqual([
      "eks:ListClusters",
      "iam:ListOpenIDConnectProviders",
      "s3:ListAllMyBuckets",
      "sts:GetCallerIdentity",
    ]);
  });

  it("scoped to an environment: its roles, bucket, database and cluster, in its partition", () => {
    const env = testSettings({ region: "cn-north-1" });
    const doc = operatorPolicy({ settings: env, accountId: "111122223333" });
    expect(statementWith(doc, "iam:CreateRole")?.Resource).toEqual(["arn:aws-cn:iam::111122223333:role/studio-staging-rds-role"]);
    expect(doc.Statement.filter((s) => ([] as string[]).concat(s.Action).includes("iam:CreateRole")).map((s) => s.Resource)).toEqual([
      ["arn:aws-cn:iam::111122223333:role/studio-staging-rds-role"],
      ["arn:aws-cn:iam::111122223333:role/studio-staging-s3-role"],
    ]);
    expect(statementWith(doc, "s3:CreateBucket")?.Resource).toEqual(["arn:aws-cn:s3:::studio-shared-storage-staging"]);
    expect(statementWith(doc, "rds:ModifyDBInstance")).toMatchObject({
      Action: ["rds:DescribeDBInstances", "rds:ModifyDBInstance"],
      Resource: ["arn:aws-cn:rds:cn-north-1:111122223333:db:studio-db"],
    });
    expect(statementWith(doc, "eks:DescribeCluster")?.Resource).toEqual(["arn:aws-cn:eks:cn-north-1:111122223333:cluster/studio-eks"]);
    expect(statementWith(doc, "iam:CreateOpenIDConnectProvider")?.Resource).toEqual(["arn:aws-cn:iam::111122223333:oidc-provider/*"]);
    expect(statementWith(doc, "rds-db:connect")?.Resource).toEqual(["arn:aws-cn:rds-db:cn-north-1:111122223333:dbuser:*/studio_iam_user"]);
  });

  it("an Aurora target gets the cluster calls, an unknown account a wildcard; GovCloud its partition", () => {
    const env = testSettings({ dbKind: "cluster", dbIdentifier: "studio-aurora" });
    const doc = operatorPolicy({ settings: env }, { includePickers: false });
    expect(statementWith(doc, "rds:ModifyDBCluster")).toMatchObject({
      Action: ["rds:DescribeDBClusters", "rds:ModifyDBCluster"],
      Resource: ["arn:aws:rds:eu-west-1:*:cluster:studio-aurora"],
    });
    expect(JSON.stringify(doc)).not.toContain("rds:ModifyDBInstance");
    const gov = operatorPolicy({ settings: testSettings({ region: "us-gov-west-1" }), accountId: "111122223333" });
    expect(statementWith(gov, "iam:PutRolePolicy")?.Resource).toEqual(["arn:aws-us-gov:iam::111122223333:role/studio-staging-rds-role"]);
  });
});
