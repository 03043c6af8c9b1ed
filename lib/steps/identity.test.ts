import { describe, expect, it, vi } from "vitest";
import { awsClients, resetAwsClients } from "@/lib/aws/clients";
import { FakeAws, fakeAwsPerTest } from "@/tests/support/fake-aws";
import { testSettings } from "@/tests/support/settings";
import { identityStep } from "./identity";
import { readMemo } from "./observe";
import type { ObserveContext } from "./types";

const aws = fakeAwsPerTest();

function ctx(settings = testSettings(), signal?: AbortSignal): ObserveContext {
  return { settings, facts: {}, aws: awsClients(settings.region), cx: { signal }, read: readMemo(), secrets: {} };
}

describe("identity step", () => {
  it("observes account, caller ARN and partition, and nothing volatile (the request id) that would change the fingerprint", async () => {
    const run = new AbortController();
    await expect(identityStep.observe(ctx(testSettings(), run.signal))).resolves.toEqual({
      accountId: "111122223333",
      arn: "arn:aws:iam::111122223333:user/platform-admin",
      partition: "aws",
    });
    expect(aws.fake.mutatingCalls()).toEqual([]);
    // The run's cancel signal reaches the SDK (through the call's own signal that follows it).
    const sent = (aws.fake.mocks.get("sts")!.send.firstCall.args as unknown[])[1] as { abortSignal: AbortSignal };
    expect(sent.abortSignal.aborted).toBe(false);
    run.abort();
    expect(sent.abortSignal.aborted).toBe(true);
    expect(identityStep.changes({}, testSettings())).toEqual([]);
  });

  it("reads the partition from the caller ARN (GovCloud)", async () => {
    aws.replace(new FakeAws({ partition: "aws-us-gov", region: "us-gov-west-1" }));
    const facts = await identityStep.observe(ctx(testSettings({ region: "us-gov-west-1" })));
    expect(facts.partition).toBe("aws-us-gov");
  });

  it("throttled, then succeeds: the SDK's own retry strategy retries and the step never sees the error", async () => {
    aws.fake.routeThroughSdk("sts");
    aws.fake.throttle("GetCallerIdentity");
    expect((await identityStep.observe(ctx())).accountId).toBe("111122223333");
    expect(aws.fake.calls("GetCallerIdentity")).toHaveLength(2);
  });

  it("gives up after AWS_MAX_ATTEMPTS and names the action", async () => {
    vi.stubEnv("AWS_MAX_ATTEMPTS", "2");
    resetAwsClients();
    aws.fake.routeThroughSdk("sts");
    aws.fake.throttle("GetCallerIdentity", 10);
    await expect(identityStep.observe(ctx())).rejects.toThrow(/sts:GetCallerIdentity failed: Throttling/);
    expect(aws.fake.calls("GetCallerIdentity")).toHaveLength(2);
  });
});
