// A teardown whose process died mid-way is found by a new service on the same job store, marked interrupted, and
// resumed: deletes AWS accepted before the stop are not made again, the rest is, and the account converges.
import { describe, expect, it } from "vitest";
import { createJobService } from "@/lib/jobs";
import { STEPS } from "@/lib/steps";
import { TEARDOWN_STEPS } from "@/lib/teardown";
import { fakeAwsPerTest } from "@/tests/support/fake-aws";
import { engine } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";
import { openTestDb } from "@/tests/support/test-db";
import { until } from "@/tests/support/until";

const aws = fakeAwsPerTest();
const env = testSettings();

describe("a teardown killed mid-way", () => {
  it("resumes in a new service without repeating the deletes AWS accepted", async () => {
    aws.fake.db!.pollsUntilApplied = 1;
    const store = openTestDb();
    const first = await engine(env, { store });
    await first.apply();

    // The first process: the RDS role's inline policy is deleted, then DeleteRole hangs and the process "dies".
    aws.fake.delay("DeleteRole", 600_000);
    aws.fake.clearLog();
    const { runId } = await first.startTeardown();
    await until(() => aws.fake.calls("DeleteRole").length === 1 && !aws.fake.buckets.has(env.bucketName), "DeleteRole to be under way and the bucket deleted");
    expect(aws.fake.mutatingCalls().map((c) => c.command).sort()).toEqual(["DeleteBucket", "DeleteRole", "DeleteRolePolicy"]);

    // A new server on the same file finds the run abandoned; the old one, no longer owning it, stops quietly.
    const second = openTestDb(store.file);
    const jobs = createJobService({ db: second.db, steps: STEPS, teardownSteps: TEARDOWN_STEPS, heartbeatMs: 50 });
    expect(await jobs.recoverInterrupted(0)).toEqual([runId]);
    await first.jobs.waitForRun(runId);
    const interrupted = await jobs.runView(runId);
    expect(interrupted?.status).toBe("interrupted");
    expect(interrupted?.steps.find((s) => s.key === "teardown-roles")?.status).toBe("interrupted");
    expect(interrupted?.steps.find((s) => s.key === "teardown-bucket")?.status).toBe("succeeded");
    expect(aws.fake.roles.has(env.rdsRoleName)).toBe(true);

    aws.fake.delay("DeleteRole", 0);
    aws.fake.clearLog();
    await jobs.resumeRun(runId, "bob");
    const view = await jobs.waitForRun(runId);
    expect(view?.status).toBe("succeeded");
    // Not again: the RDS role's policy and the bucket. Still to do: the RDS role, the S3 role, the provider.
    expect(aws.fake.mutatingCalls().map((c) => [c.command, c.input.RoleName ?? null])).toEqual([
      ["DeleteRole", env.rdsRoleName],
      ["DeleteRolePolicy", env.s3RoleName],
      ["DeleteRole", env.s3RoleName],
      ["DeleteOpenIDConnectProvider", null],
    ]);
    expect(aws.fake.roles.size).toBe(0);
    expect(aws.fake.providers.size).toBe(0);
    const logs = await jobs.logsSince(runId, 0, 10_000);
    expect(logs.some((l) => l.message.startsWith("Resumed by bob"))).toBe(true);
    await second.close();
    await first.close();
  });
});
