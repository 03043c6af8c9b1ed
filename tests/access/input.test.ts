// Bad input to the matrix is refused with the field and the rule, before anything is evaluated.
import { describe, expect, it } from "vitest";
import { AccessInputError, evaluateAccessMatrix, parseAccessInput } from "@/lib/access";
import { consoleEnvironment, iamEncoded } from "./fixtures";

describe("access matrix input", () => {
  it("reads IAM's URL-encoded documents and S3's plain JSON as they come", () => {
    const env = consoleEnvironment();
    expect(typeof env.roles.rds.trustPolicy).toBe("string");
    expect(String(env.roles.rds.trustPolicy).startsWith("%7B")).toBe(true);
    const facts = parseAccessInput(env);
    expect(facts.roles.rds.trustPolicy.Version).toBe("2012-10-17");
    expect(facts.bucketPolicy?.Statement).toHaveLength(3);
  });

  it.each([
    [{ database: { resourceId: "studio-db", iamDbUser: "studio_iam_user", masterUser: "postgres" } }, /database\.resourceId must be a DbiResourceId \(db-…\)/],
    [{ partition: "aws-cn" }, /partition must be aws for region eu-west-1/],
    [{ database: { resourceId: "db-ABC", iamDbUser: "postgres", masterUser: "postgres" } }, /database\.iamDbUser must differ from the master user/],
    [{ identity: { kind: "irsa", oidcIssuer: "oidc.eks.eu-west-1.amazonaws.com/id/X", trustScope: "service-accounts" } }, /identity\.oidcIssuer must be the cluster's https:\/\/ OIDC issuer URL/],
    [{ bucketPolicy: "{not json" }, /bucketPolicy policy document is not valid JSON/],
    [{ bucketPolicy: { Version: "2012-10-17" } }, /bucketPolicy must be a policy document with a Statement/],
    [{ kms: { keyArn: "alias/studio" } }, /kms\.keyArn must be a KMS key ARN/],
  ])("refuses %j", (change, message) => {
    const env = { ...consoleEnvironment(), ...change } as Parameters<typeof parseAccessInput>[0];
    expect(() => parseAccessInput(env)).toThrow(AccessInputError);
    expect(() => parseAccessInput(env)).toThrow(message);
  });

  it("names the role field: a document that is not JSON, no service accounts, an ARN of another account", async () => {
    const env = consoleEnvironment();
    const bad = {
      ...env,
      roles: { ...env.roles, s3: { ...env.roles.s3, inlinePolicies: [{ name: "p", document: "%7Bbroken" }], serviceAccounts: [] } },
    };
    await expect(evaluateAccessMatrix(bad)).rejects.toThrow(/roles\.s3\.inlinePolicies\.0\.document policy document is not valid JSON/);
    await expect(evaluateAccessMatrix(bad)).rejects.toThrow(/roles\.s3\.serviceAccounts must name at least one service account/);
    const foreign = { ...env, roles: { ...env.roles, rds: { ...env.roles.rds, roleArn: "arn:aws:iam::999999999999:role/studio-staging-rds-role" } } };
    await expect(evaluateAccessMatrix(foreign)).rejects.toThrow(/roles\.rds\.roleArn must start with arn:aws:iam::111122223333:role\//);
  });

  it("a document the evaluator cannot read is an error naming the request, not a silent denial", async () => {
    const env = consoleEnvironment();
    const broken = { Version: "2012-10-17", Statement: [{ Effect: "Perhaps", Action: "rds-db:connect", Resource: "*" }] };
    await expect(
      evaluateAccessMatrix({ ...env, roles: { ...env.roles, rds: { ...env.roles.rds, inlinePolicies: [{ name: "x", document: iamEncoded(broken) }] } } }),
    ).rejects.toThrow(
      /cannot evaluate rds-db:connect on .*: the inline policy x of studio-staging-rds-role: Statement\[0\]\.Effect: Effect must be present/,
    );
  });
});
