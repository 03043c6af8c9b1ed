import { describe, expect, it } from "vitest";
import { fakeAwsPerTest } from "@/tests/support/fake-aws";
import { actionsOf, applyStep } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";
import { oidcProviderStep } from "./oidc-provider";

const aws = fakeAwsPerTest();
const env = testSettings();
const HOST = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const ARN = `arn:aws:iam::111122223333:oidc-provider/${HOST}`;

describe("oidc-provider step", () => {
  it("fresh account: creates the provider with the STS audience, no thumbprint, tagged, and reports its ARN", async () => {
    const { changes, results, logs } = await applyStep(oidcProviderStep, env);
    expect(changes.map((c) => [c.id, c.action, c.needs])).toEqual([
      ["oidc-provider:provider", "create", ["iam:CreateOpenIDConnectProvider", "iam:TagOpenIDConnectProvider"]],
    ]);
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
    // The plan showed exactly this request.
    expect(JSON.parse(changes[0].document!)).toEqual(create.input);
    expect(results).toEqual([{ oidcProviderArn: ARN }]);
    expect(logs.some((l) => l.message.includes("created IAM OIDC provider") && l.requestId)).toBe(true);
  });

  it("second run: unchanged, zero mutating calls", async () => {
    await applyStep(oidcProviderStep, env);
    aws.fake.clearLog();
    const { changes } = await applyStep(oidcProviderStep, env);
    expect(changes.map((c) => c.action)).toEqual(["unchanged"]);
    expect(aws.fake.mutatingCalls()).toEqual([]);
  });

  it("drift: a provider without the STS audience gets it added, nothing created", async () => {
    aws.fake.providers.set(ARN, { url: `https://${HOST}`, clientIds: ["other-client"], tags: {} });
    expect(await actionsOf(oidcProviderStep, env)).toEqual([["iam:AddClientIDToOpenIDConnectProvider", "update"]]);
    aws.fake.clearLog();
    await applyStep(oidcProviderStep, env);
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(["AddClientIDToOpenIDConnectProvider"]);
    expect(aws.fake.providers.get(ARN)?.clientIds).toEqual(["other-client", "sts.amazonaws.com"]);
  });

  it("AccessDenied: the error names the IAM action and the caller", async () => {
    aws.fake.deny("CreateOpenIDConnectProvider", "iam:CreateOpenIDConnectProvider");
    const err = await applyStep(oidcProviderStep, env).catch((e: Error) => e);
    expect((err as Error).message).toMatch(
      /access denied: arn:aws:iam::111122223333:user\/platform-admin is not allowed to call iam:CreateOpenIDConnectProvider/,
    );
    expect(err).toMatchObject({ action: "iam:CreateOpenIDConnectProvider", requestId: expect.stringMatching(/^req-/) });
  });

  it("a provider created by someone else between the read and the create is used as is", async () => {
    aws.fake.before("CreateOpenIDConnectProvider", () =>
      aws.fake.providers.set(ARN, { url: `https://${HOST}`, clientIds: ["sts.amazonaws.com"], tags: {} }),
    );
    const { results } = await applyStep(oidcProviderStep, env);
    expect(results).toEqual([{ oidcProviderArn: ARN }]);
    expect(aws.fake.calls("CreateOpenIDConnectProvider")).toHaveLength(1);
    expect(aws.fake.calls("AddClientIDToOpenIDConnectProvider")).toHaveLength(0);
  });

  it("throttled CreateOpenIDConnectProvider, then success: retried by the SDK, one provider", async () => {
    aws.fake.routeThroughSdk("iam");
    aws.fake.throttle("CreateOpenIDConnectProvider");
    await applyStep(oidcProviderStep, env);
    expect(aws.fake.calls("CreateOpenIDConnectProvider")).toHaveLength(2);
    expect(aws.fake.providers.size).toBe(1);
  });
});
