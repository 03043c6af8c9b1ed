// A process killed right after AWS accepted a create, before the resource got the console's tags, leaves an
// untagged resource the run itself made. Resuming must finish it (tag it) as the reviewed plan said, not plan it
// as an adoption the admin never reviewed (the crash trials found this: a bucket created, PutBucketTagging not
// yet sent, resume refused with "changes are needed that the reviewed plan does not contain").
import { describe, expect, it } from "vitest";
import { createJobService } from "@/lib/jobs";
import { STEPS } from "@/lib/steps";
import { MANAGED_BY_KEY } from "@/lib/aws/tags";
import { fakeAwsPerTest } from "@/tests/support/fake-aws";
import { engine } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";
import { openTestDb } from "@/tests/support/test-db";
import { until } from "@/tests/support/until";

const aws = fakeAwsPerTest();
const env = testSettings();

describe("resuming after a crash between a create and its tags", () => {
  it("tags the bucket the dead attempt created and converges, without an adoption", async () => {
    aws.fake.db!.pollsUntilApplied = 1;
    const e = await engine(env);
    const plan = await e.refreshPlan();
    // The first process: CreateBucket is accepted, the tagging call never answers (the process "dies" there).
    aws.fake.delay("PutBucketTagging", 600_000);
    const { runId } = await e.jobs.startRun({ environmentId: e.environmentId, kind: "apply", planId: plan.id, actor: "ada" });
    await until(() => aws.fake.calls("CreateBucket").length === 1 && aws.fake.calls("PutBucketTagging").length === 1, "CreateBucket, then the tagging call");
    expect(aws.fake.buckets.get(env.bucketName)?.tags?.[MANAGED_BY_KEY]).toBeUndefined();

    // A new server on the same job store finds the run abandoned and resumes it.
    const second = openTestDb(e.store.file);
    const jobs = createJobService({ db: second.db, steps: STEPS, heartbeatMs: 50 });
    expect(await jobs.recoverInterrupted(0)).toEqual([runId]);
    aws.fake.delay("PutBucketTagging", 0);
    aws.fake.clearLog();
    await jobs.resumeRun(runId, "bob");
    const view = (await jobs.waitForRun(runId))!;
    const logs = await jobs.logsSince(runId, 0, 10_000);
    // Every AWS step finishes (the grants need DB credentials this test does not give: they fail on their own).
    const awsSteps = view.steps.filter((s) => s.key !== "db-grants" && s.status !== "skipped");
    expect(awsSteps.map((s) => [s.key, s.status]), logs.map((l) => l.message).join("\n")).toEqual(awsSteps.map((s) => [s.key, "succeeded"]));
    expect(aws.fake.calls("CreateBucket")).toEqual([]);
    expect(aws.fake.buckets.get(env.bucketName)?.tags?.[MANAGED_BY_KEY]).toBeDefined();
    expect(logs.some((l) => l.message.includes("adopt"))).toBe(false);

    // Converged: a fresh plan has nothing left to do.
    const fresh = await e.refreshPlan();
    const todo = fresh.plan.steps.flatMap((s) => s.changes).filter((c) => ["create", "update", "adopt", "delete"].includes(c.action));
    expect(todo.filter((c) => c.step !== "db-grants").map((c) => c.id)).toEqual([]);
    await second.close();
    await e.close();
  });
});
