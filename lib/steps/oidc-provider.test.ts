import { describe, expect, it } from "vitest";
import { fakeAwsPerTest } from "@/tests/support/fake-aws";
import { applySteps, stepContext } from "@/tests/support/step-context";
import { testSettings } from "@/tests/support/settings";
import { discoverStep } from "./discover";
import { discoverEnvironment } from "./discover-environment";
import { identityStep } from "./identity";
import { oidcProviderStep } from "./oidc-provider";

const aws = fakeAwsPerTest();
const env = testSettings();
const HOST = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const ARN = `arn:aws:iam::111122223333:oidc-provider/${HOST}`;

async function discovered() {
  return (await applySteps(env, [identityStep, discoverStep])).outputs;
}

describe("oidc-provider step", () => {
  it("fresh account: creates the provider with the STS audience, no thumbprint, tagged, and checkpoints its ARN", async () => {
    const ctx = stepContext(env, { outputs: await discovered() });
    aws.fake.clearLog();
    await expect(oidcProviderStep.apply(ctx)).resolves.toEqual({ oidcProviderArn: ARN });
    const [create] = aws.fake.calls("CreateOpenIDConnectProvider");
    expect(create.input).toEqual({
      Url: `https://${HOST}`,
      ClientIDList: ["sts.amazonaws.com"],
      Tags: [
        { Key: "managed-by", Value: "studio-iam-console" },
        { Key: "studio-environment", Value: "staging" },
      ],
    });
    expect(create.input).not.toHaveProperty("ThumbprintList");
    expect(ctx.checkpoints).toEqual([{ oidcProviderArn: ARN }]);
    expect(ctx.logs.some((l) => l.message.includes("created IAM OIDC provider") && l.requestId)).toBe(true);
  });

  it("second run: unchanged, zero mutating calls, and the plan says unchanged", async () => {
    const outputs = await discovered();
    await oidcProviderStep.apply(stepContext(env, { outputs }));
    aws.fake.clearLog();
    const ctx = stepContext(env, { outputs });
    await expect(oidcProviderStep.apply(ctx)).resolves.toEqual({ oidcProviderArn: ARN });
    expect(aws.fake.mutatingCalls()).toEqual([]);
    expect(ctx.checkpoints).toEqual([]);
    const plan = oidcProviderStep.plan(env, await discoverEnvironment(env));
    expect(plan.map((c) => c.action)).toEqual(["unchanged"]);
    expect((await oidcProviderStep.verify(ctx)).every((c) => c.ok)).toBe(true);
  });

  it("drift: a provider without the STS audience gets it added, nothing created", async () => {
    aws.fake.providers.set(ARN, { url: `https://${HOST}`, clientIds: ["other-client"], tags: {} });
    const outputs = await discovered();
    expect(oidcProviderStep.plan(env, await discoverEnvironment(env))).toMatchObject([
      { action: "update", call: "iam:AddClientIDToOpenIDConnectProvider" },
    ]);
    aws.fake.clearLog();
    await oidcProviderStep.apply(stepContext(env, { outputs }));
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(["AddClientIDToOpenIDConnectProvider"]);
    expect(aws.fake.providers.get(ARN)?.clientIds).toEqual(["other-client", "sts.amazonaws.com"]);
  });

  it("AccessDenied: the error names the IAM action and the caller", async () => {
    aws.fake.deny("CreateOpenIDConnectProvider", "iam:CreateOpenIDConnectProvider");
    const ctx = stepContext(env, { outputs: await discovered() });
    const err = await oidcProviderStep.apply(ctx).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /access denied: arn:aws:iam::111122223333:user\/platform-admin is not allowed to call iam:CreateOpenIDConnectProvider/,
    );
    expect(err).toMatchObject({ action: "iam:CreateOpenIDConnectProvider", requestId: expect.stringMatching(/^req-/) });
    expect(ctx.checkpoints).toEqual([]);
  });

  it("a provider created by someone else between the read and the create is adopted", async () => {
    const ctx = stepContext(env, { outputs: await discovered() });
    aws.fake.before("CreateOpenIDConnectProvider", () =>
      aws.fake.providers.set(ARN, { url: `https://${HOST}`, clientIds: ["sts.amazonaws.com"], tags: {} }),
    );
    await expect(oidcProviderStep.apply(ctx)).resolves.toEqual({ oidcProviderArn: ARN });
    expect(aws.fake.calls("CreateOpenIDConnectProvider")).toHaveLength(1);
    expect(aws.fake.calls("AddClientIDToOpenIDConnectProvider")).toHaveLength(0);
  });

  it("throttled CreateOpenIDConnectProvider, then success: retried by the SDK, one provider", async () => {
    const outputs = await discovered();
    aws.fake.routeThroughSdk("iam");
    aws.fake.throttle("CreateOpenIDConnectProvider");
    await expect(oidcProviderStep.apply(stepContext(env, { outputs }))).resolves.toEqual({ oidcProviderArn: ARN });
    expect(aws.fake.calls("CreateOpenIDConnectProvider")).toHaveLength(2);
    expect(aws.fake.providers.size).toBe(1);
  });
});
