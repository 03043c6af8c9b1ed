import { describe, expect, it } from "vitest";
import { STEPS } from "@/lib/steps/index";
import { testSettings } from "@/tests/support/settings";
import { operatorActions, operatorPolicy } from "./operator-policy";
import type { PolicyStatement } from "./types";

function statement(doc: { Statement: PolicyStatement[] }, sid: string) {
  return doc.Statement.find((s) => s.Sid === sid);
}

describe("operator policy", () => {
  it("is derived from the step catalogue: every action a step declares is in it, nothing else but the pickers", () => {
    const declared = new Set(STEPS.flatMap((s) => s.iamActions ?? []));
    const actions = operatorActions({ includePickers: false });
    expect(new Set(actions)).toEqual(declared);
    expect(actions).toContain("iam:CreateRole");
    expect(actions).toContain("s3:PutEncryptionConfiguration");
    expect(actions).not.toContain("iam:*");
    expect(operatorActions()).toEqual(expect.arrayContaining(["eks:ListClusters", "s3:ListAllMyBuckets"]));
  });

  it("a step added to the catalogue adds its actions", () => {
    const extra = { ...STEPS[0], iamActions: ["iam:ListRoleTags"] };
    expect(operatorActions({ steps: [...STEPS, extra] })).toContain("iam:ListRoleTags");
  });

  it("without a target every resource is *", () => {
    const doc = operatorPolicy();
    expect(doc.Version).toBe("2012-10-17");
    expect(doc.Statement.every((s) => JSON.stringify(s.Resource) === '["*"]' && s.Effect === "Allow")).toBe(true);
  });

  it("scoped to an environment: its roles, bucket, database and cluster, in its partition", () => {
    const env = testSettings({ region: "cn-north-1" });
    const doc = operatorPolicy({ env, accountId: "111122223333" });
    expect(statement(doc, "StudioRoles")?.Resource).toEqual([
      "arn:aws-cn:iam::111122223333:role/studio-staging-rds-role",
      "arn:aws-cn:iam::111122223333:role/studio-staging-s3-role",
    ]);
    expect(statement(doc, "ModelBucket")?.Resource).toEqual(["arn:aws-cn:s3:::studio-shared-storage-staging"]);
    expect(statement(doc, "StudioDatabase")).toEqual({
      Sid: "StudioDatabase",
      Effect: "Allow",
      Action: ["rds:ModifyDBInstance"],
      Resource: ["arn:aws-cn:rds:cn-north-1:111122223333:db:studio-db"],
    });
    expect(statement(doc, "EksCluster")?.Resource).toEqual(["arn:aws-cn:eks:cn-north-1:111122223333:cluster/studio-eks"]);
    expect(statement(doc, "ClusterOidcProvider")?.Resource).toEqual(["arn:aws-cn:iam::111122223333:oidc-provider/*"]);
  });

  it("an Aurora target gets the cluster calls, an unknown account a wildcard", () => {
    const env = testSettings({ dbKind: "cluster", dbIdentifier: "studio-aurora" });
    const doc = operatorPolicy({ env }, { includePickers: false });
    expect(statement(doc, "StudioDatabase")).toMatchObject({
      Action: ["rds:DescribeDBClusters", "rds:ModifyDBCluster"],
      Resource: ["arn:aws:rds:eu-west-1:*:cluster:studio-aurora"],
    });
  });
});
