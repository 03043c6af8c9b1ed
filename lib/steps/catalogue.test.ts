import { describe, expect, it } from "vitest";
import { operatorActions } from "@/lib/policies/operator-policy";
import { fakeAwsPerTest } from "@/tests/support/fake-aws";
import { applySteps } from "@/tests/support/step-context";
import { testSettings } from "@/tests/support/settings";
import { discoverEnvironment } from "./discover-environment";
import { AWS_STEP_KEYS, STEP_DEPENDENCIES, STEPS, stepByKey, stepPrerequisites } from "./index";
import { buildPlan } from "./plan";
import { STEP_KEYS } from "./types";

const aws = fakeAwsPerTest();
const env = testSettings();

/** The IAM action each API call needs (where the names differ, the documented one). */
const ACTION_OF: Record<string, string> = {
  HeadBucket: "s3:ListBucket",
  GetBucketEncryption: "s3:GetEncryptionConfiguration",
  PutBucketEncryption: "s3:PutEncryptionConfiguration",
  GetPublicAccessBlock: "s3:GetBucketPublicAccessBlock",
  PutPublicAccessBlock: "s3:PutBucketPublicAccessBlock",
};
const PREFIX = { sts: "sts", eks: "eks", rds: "rds", iam: "iam", s3: "s3", kms: "kms" } as const;

describe("step catalogue", () => {
  it("lists every step key once, in dependency order", () => {
    expect(STEPS.map((s) => s.key)).toEqual([...STEP_KEYS]);
    expect(STEP_DEPENDENCIES).toEqual({
      identity: [],
      discover: ["identity"],
      "oidc-provider": ["discover"],
      "rds-role": ["discover", "oidc-provider"],
      "s3-role": ["discover", "oidc-provider"],
      "s3-bucket": ["discover", "s3-role"],
      "rds-iam-auth": ["discover"],
      "db-grants": ["rds-iam-auth"],
    });
    expect(stepPrerequisites("s3-bucket")).toEqual(["identity", "discover", "oidc-provider", "s3-role"]);
    expect(stepByKey("rds-role").title).toBe("Create the RDS IAM role");
    expect(() => stepByKey("nope" as never)).toThrow(/unknown step "nope"/);
    expect(AWS_STEP_KEYS).not.toContain("db-grants");
  });

  it("whole apply on a fresh account, then a second apply that changes nothing, and a plan that is all unchanged", async () => {
    const aws1 = AWS_STEP_KEYS.map(stepByKey);
    // The database flag flips on the first poll.
    aws.fake.db!.pollsUntilApplied = 1;
    const first = await applySteps(env, aws1);
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual([
      "CreateOpenIDConnectProvider",
      "CreateRole",
      "PutRolePolicy",
      "CreateRole",
      "PutRolePolicy",
      "CreateBucket",
      "PutBucketTagging",
      "PutBucketVersioning",
      "PutBucketPolicy",
      "ModifyDBInstance",
    ]);
    expect(first.outputs["rds-role"]).toMatchObject({ roleArn: "arn:aws:iam::111122223333:role/studio-staging-rds-role" });

    // Every call made is covered by the operator policy derived from the catalogue.
    const allowed = new Set(operatorActions());
    const needed = [...new Set(aws.fake.calls().map((c) => ACTION_OF[c.command] ?? `${PREFIX[c.service]}:${c.command}`))];
    expect(needed.filter((a) => !allowed.has(a))).toEqual([]);

    aws.fake.clearLog();
    await applySteps(env, aws1);
    expect(aws.fake.mutatingCalls()).toEqual([]);

    const plan = buildPlan(env, await discoverEnvironment(env));
    const awsRows = plan.steps.filter((s) => s.key !== "db-grants").flatMap((s) => s.changes);
    expect(awsRows.filter((c) => c.action !== "read" && c.action !== "unchanged")).toEqual([]);
    expect(plan.warnings).toEqual([]);
  });
});
