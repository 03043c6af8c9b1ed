import { describe, expect, it, vi } from "vitest";
import { resetAwsClients } from "@/lib/aws/clients";
import { FakeAws, fakeAwsPerTest } from "@/tests/support/fake-aws";
import { stepContext } from "@/tests/support/step-context";
import { testSettings } from "@/tests/support/settings";
import { identityStep } from "./identity";

const aws = fakeAwsPerTest();

describe("identity step", () => {
  it("returns account, caller ARN and partition and logs the request id", async () => {
    const ctx = stepContext(testSettings());
    await expect(identityStep.apply(ctx)).resolves.toEqual({
      accountId: "111122223333",
      callerArn: "arn:aws:iam::111122223333:user/platform-admin",
      partition: "aws",
    });
    expect(ctx.logs[0]).toMatchObject({ level: "info", requestId: "req-1" });
    expect(aws.fake.mutatingCalls()).toEqual([]);
    // The run's cancel signal reaches the SDK.
    expect((aws.fake.mocks.get("sts")!.send.firstCall.args as unknown[])[1]).toEqual({ abortSignal: ctx.signal });
  });

  it("reads the partition from the caller ARN (GovCloud)", async () => {
    aws.replace(new FakeAws({ partition: "aws-us-gov", region: "us-gov-west-1" }));
    const out = await identityStep.apply(stepContext(testSettings({ region: "us-gov-west-1" })));
    expect(out.partition).toBe("aws-us-gov");
  });

  it("throttled, then succeeds: the SDK's own retry strategy retries and the step never sees the error", async () => {
    aws.fake.routeThroughSdk("sts");
    aws.fake.throttle("GetCallerIdentity");
    const out = await identityStep.apply(stepContext(testSettings()));
    expect(out.accountId).toBe("111122223333");
    expect(aws.fake.calls("GetCallerIdentity")).toHaveLength(2);
  });

  it("gives up after AWS_MAX_ATTEMPTS and names the action", async () => {
    vi.stubEnv("AWS_MAX_ATTEMPTS", "2");
    resetAwsClients();
    aws.fake.routeThroughSdk("sts");
    aws.fake.throttle("GetCallerIdentity", 10);
    await expect(identityStep.apply(stepContext(testSettings()))).rejects.toThrow(/sts:GetCallerIdentity failed: Throttling/);
    expect(aws.fake.calls("GetCallerIdentity")).toHaveLength(2);
  });
});
