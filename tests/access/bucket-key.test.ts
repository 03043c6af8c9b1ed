// The bucket's customer managed KMS key in the access matrix: the access run reads the key policy
// (kms:GetKeyPolicy) and the matrix asks whether the S3 role may use the key through S3 and the RDS role may not.
// A key policy that does not let the account's IAM policies grant the key fails the matrix; a key whose policy
// cannot be read (another account's, AccessDenied) is a warning that says why, never "proven".
import { describe, expect, it } from "vitest";
import { ACCESS_CHECK_KEY, accessCheckStep, storedMatrix } from "@/lib/steps/access-check";
import { STEPS } from "@/lib/steps";
import type { RunView } from "@/lib/jobs";
import { engine, type Engine } from "@/tests/support/engine";
import { fakeAwsPerTest } from "@/tests/support/fake-aws";
import { testSettings } from "@/tests/support/settings";

const aws = fakeAwsPerTest();
const AWS_STEPS = STEPS.filter((s) => s.key !== "db-grants");

async function appliedWithKey(policy?: unknown): Promise<{ e: Engine; keyArn: string }> {
  const key = aws.fake.addKmsKey({ alias: "alias/models", policy });
  const env = testSettings({ bucketKmsKeyArn: key.arn });
  aws.fake.db!.pollsUntilApplied = 1;
  const e = await engine(env, { steps: AWS_STEPS, accessStep: accessCheckStep });
  expect((await e.apply()).view.status).toBe("succeeded");
  return { e, keyArn: key.arn };
}

async function lastAccessRun(e: Engine): Promise<RunView> {
  const row = await e.db.run.findFirst({ where: { environmentId: e.environmentId, kind: "access" }, orderBy: { createdAt: "desc" } });
  return (await e.jobs.waitForRun(row!.id))!;
}

const matrixOf = (view: RunView) => storedMatrix(view.steps.find((s) => s.key === ACCESS_CHECK_KEY)!.output)!;
const keyRows = (view: RunView) =>
  Object.fromEntries(matrixOf(view).rows.filter((r) => r.group === "key").map((r) => [r.id, [r.decision, r.verdict]]));

describe("the bucket's KMS key in the access matrix", () => {
  it("reads the key policy: the S3 role may decrypt and generate data keys through S3, the RDS role may not", async () => {
    const { e, keyArn } = await appliedWithKey();
    const view = await lastAccessRun(e);
    expect(view.status).toBe("succeeded");
    expect(aws.fake.calls("GetKeyPolicy").map((c) => c.input)).toContainEqual(expect.objectContaining({ KeyId: keyArn }));
    expect(keyRows(view)).toEqual({
      "kms-decrypt": ["allowed", "pass"],
      "kms-generate-data-key": ["allowed", "pass"],
      "kms-rds-role-decrypt": ["denied", "pass"],
    });
    expect(matrixOf(view).findings.filter((f) => f.message.includes(keyArn))).toEqual([]);
    expect(matrixOf(view).ok).toBe(true);
    await e.close();
  });

  it("a key policy that does not let IAM policies grant the key: the S3 role's use is denied and the matrix fails", async () => {
    // Only a key administrator: no "Enable IAM User Permissions" statement for the account.
    const { e } = await appliedWithKey({
      Version: "2012-10-17",
      Statement: [
        { Sid: "Admins", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/key-admin" }, Action: "kms:*", Resource: "*" },
      ],
    });
    const view = await lastAccessRun(e);
    const matrix = matrixOf(view);
    expect(keyRows(view)["kms-decrypt"]).toEqual(["denied", "fail"]);
    expect(matrix.ok).toBe(false);
    expect(view.steps.find((s) => s.key === ACCESS_CHECK_KEY)!.checks![0].detail).toMatch(/kms:Decrypt on the bucket's key/);
    await e.close();
  });

  it("a key policy the console may not read: the key is a warning naming the refused call, not proven", async () => {
    const { e, keyArn } = await appliedWithKey();
    aws.fake.deny("GetKeyPolicy");
    const { runId } = await e.jobs.startRun({ environmentId: e.environmentId, kind: "access", settings: testSettings({ bucketKmsKeyArn: keyArn }), actor: "ada" });
    const view = (await e.jobs.waitForRun(runId))!;
    expect(view.status).toBe("succeeded");
    expect(keyRows(view)).toEqual({});
    const warning = matrixOf(view).findings.find((f) => f.message.startsWith(`the key policy of ${keyArn} was not read`));
    expect(warning).toMatchObject({ severity: "warn" });
    expect(warning!.message).toMatch(/kms:GetKeyPolicy/);
    await e.close();
  });
});

describe("readKeyPolicy", () => {
  it("does not ask KMS for another account's key (GetKeyPolicy answers only the key's own account)", async () => {
    const { readKeyPolicy } = await import("@/lib/aws/kms");
    const { awsClients } = await import("@/lib/aws/clients");
    const keyArn = "arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    expect(await readKeyPolicy(awsClients("eu-west-1"), {}, keyArn, "111122223333")).toEqual({
      keyArn,
      keyPolicy: null,
      reason: "the key belongs to account 444455556666: KMS shows its key policy only there",
    });
    expect(aws.fake.calls("GetKeyPolicy")).toEqual([]);
  });
});
