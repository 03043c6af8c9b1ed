// Eventual consistency: CreateRole right after CreateOpenIDConnectProvider and PutRolePolicy right after
// CreateRole are retried on IAM's propagation errors only, a bounded number of times, each retry logged.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeAwsPerTest } from "@/tests/support/fake-aws";
import { applyStep, engine } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";
import { propagationRetry } from "./propagation";
import { rdsRoleStep } from "./rds-role";

const aws = fakeAwsPerTest();
const env = testSettings();
const INVALID_PRINCIPAL = `Invalid principal in policy: "Federated":"arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"`;

beforeEach(() => {
  process.env.AWS_PROPAGATION_RETRY_MS = "1";
});
afterEach(() => {
  delete process.env.AWS_PROPAGATION_RETRY_MS;
});

describe("IAM propagation", () => {
  it("CreateRole refused for the just-created OIDC provider: retried, logged, created once", async () => {
    aws.fake.fail("CreateRole", "MalformedPolicyDocument", 2, INVALID_PRINCIPAL);
    const { logs } = await applyStep(rdsRoleStep, env);
    expect(aws.fake.calls("CreateRole")).toHaveLength(3);
    expect(aws.fake.roles.has(env.rdsRoleName)).toBe(true);
    const retries = logs.filter((l) => /IAM propagation/.test(l.message)).map((l) => l.message);
    expect(retries).toEqual([
      `iam:CreateRole ${env.rdsRoleName}: not known everywhere yet (IAM propagation: MalformedPolicyDocumentException); retrying in 0.001s (retry 1 of 12)`,
      `iam:CreateRole ${env.rdsRoleName}: not known everywhere yet (IAM propagation: MalformedPolicyDocumentException); retrying in 0.001s (retry 2 of 12)`,
    ]);
  });

  it("PutRolePolicy on the just-created role (NoSuchEntity): retried until IAM sees the role", async () => {
    aws.fake.fail("PutRolePolicy", "NoSuchEntity", 1);
    await applyStep(rdsRoleStep, env);
    expect(aws.fake.calls("PutRolePolicy")).toHaveLength(2);
    expect(aws.fake.roles.get(env.rdsRoleName)!.policies.size).toBe(1);
  });

  it("bounded: after 12 retries the error stands, and the run's step fails with IAM's message", async () => {
    aws.fake.fail("CreateRole", "MalformedPolicyDocument", 100, INVALID_PRINCIPAL);
    aws.fake.db!.pollsUntilApplied = 1;
    const e = await engine(env);
    const { view } = await e.apply();
    const step = view.steps.find((s) => s.key === "rds-role")!;
    expect(step.status).toBe("failed");
    expect(step.error).toMatch(/Invalid principal in policy/);
    // Each role tried once and retried 12 times.
    expect(aws.fake.calls("CreateRole")).toHaveLength(2 * (propagationRetry().retries + 1));
    await e.close();
  });

  it("a malformed document that is not about a principal is not retried", async () => {
    aws.fake.fail("CreateRole", "MalformedPolicyDocument", 1, "Syntax errors in policy.");
    await expect(applyStep(rdsRoleStep, env)).rejects.toThrow(/Syntax errors in policy/);
    expect(aws.fake.calls("CreateRole")).toHaveLength(1);
  });
});
