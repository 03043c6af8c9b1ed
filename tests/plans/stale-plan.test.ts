// What the admin reviewed is exactly what runs, or nothing runs: the real steps and the job service against the
// fake account, with the account changed between the review and the apply.
import { describe, expect, it } from "vitest";
import { fakeAwsPerTest } from "@/tests/support/fake-aws";
import { engine } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";

const aws = fakeAwsPerTest();
const env = testSettings();

async function applied() {
  aws.fake.db!.pollsUntilApplied = 1;
  const e = await engine(env);
  await e.apply();
  return e;
}

describe("a saved plan", () => {
  it("is refused when a role was edited between the review and the apply: the difference is logged, nothing changes", async () => {
    const e = await applied();
    const reviewed = await e.refreshPlan();
    // Someone widens the RDS role's trust after the review.
    aws.fake.roles.get("studio-staging-rds-role")!.trust = encodeURIComponent(
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] }),
    );
    aws.fake.clearLog();
    const { view, logs } = await e.apply({ plan: reviewed });
    expect(view.status).toBe("failed");
    expect(view.error).toMatch(/^the account changed since the plan was reviewed \(\d+ differences?, listed in the log\): refresh the plan and review it again$/);
    expect(logs.map((l) => l.message).filter((m) => m.startsWith("changed since the review:")).join("\n")).toMatch(/rds-role › trustPolicy › Statement/);
    expect(view.steps.every((s) => s.status === "pending" || s.status === "skipped")).toBe(true);
    expect(aws.fake.mutatingCalls()).toEqual([]);
    // A fresh plan shows the change for review, and applies.
    const fresh = await e.refreshPlan();
    expect(fresh.plan.steps.find((s) => s.key === "rds-role")!.changes.map((c) => [c.id, c.action])).toContainEqual(["rds-role:trust", "update"]);
    const again = await e.apply({ plan: fresh });
    expect(again.view.steps.find((s) => s.key === "rds-role")!.status).toBe("succeeded");
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(["UpdateAssumeRolePolicy"]);
    await e.close();
  });

  it("is refused when the bucket it would create was created by someone else since", async () => {
    const e = await engine(env);
    const reviewed = await e.refreshPlan();
    expect(reviewed.plan.steps.find((s) => s.key === "s3-bucket")!.changes[0]).toMatchObject({ id: "s3-bucket:bucket", action: "create" });
    aws.fake.buckets.set(env.bucketName, { owner: "111122223333", region: "eu-west-1" });
    const { view, logs } = await e.apply({ plan: reviewed });
    expect(view.status).toBe("failed");
    expect(logs.some((l) => /^changed since the review: s3-bucket › state: "missing" → "owned"/.test(l.message))).toBe(true);
    expect(aws.fake.mutatingCalls()).toEqual([]);
    await e.close();
  });

  it("a fresh plan applies, and verify afterwards finds every change unchanged", async () => {
    const e = await applied();
    const { view } = await e.verify();
    const awsSteps = view.steps.filter((s) => s.key !== "db-grants" && s.status !== "skipped");
    expect(awsSteps.map((s) => s.status)).toEqual(awsSteps.map(() => "succeeded"));
    const checks = awsSteps.flatMap((s) => s.checks ?? []);
    expect(checks.length).toBeGreaterThan(10);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    await e.close();
  });

  it("a verify run reads each resource once", async () => {
    const e = await applied();
    aws.fake.clearLog();
    await e.verify();
    for (const command of ["GetCallerIdentity", "DescribeCluster", "DescribeDBInstances", "HeadBucket", "ListOpenIDConnectProviders"])
      expect(aws.fake.calls(command), command).toHaveLength(1);
    expect(aws.fake.calls("GetRole")).toHaveLength(2);
    await e.close();
  });
});
