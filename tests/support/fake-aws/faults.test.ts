// Fault injection in the unit-test wiring: AccessDenied worded as each service words it, throttling and 5xx
// through the SDK's real retry, and a delay that the call's abort signal ends.
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { DescribeClusterCommand, EKSClient, AccessDeniedException as EksAccessDenied } from "@aws-sdk/client-eks";
import { CreateRoleCommand, GetRoleCommand, IAMClient, IAMServiceException, ServiceFailureException } from "@aws-sdk/client-iam";
import { PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { fakeAwsPerTest } from "./index";

const aws = fakeAwsPerTest();
/** Three attempts, 1 ms apart: the SDK's standard retry without the wait. */
const retrying = { region: "eu-west-1", maxAttempts: 3, retryStrategy: new ConfiguredRetryStrategy(3, () => 1) };
const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [] });

describe("fault injection", () => {
  it("deny: AccessDenied naming the caller, the action and the resource, in each service's own error", async () => {
    aws.fake.deny("CreateRole");
    const err = await new IAMClient({ region: "eu-west-1" }).send(new CreateRoleCommand({ RoleName: "r", AssumeRolePolicyDocument: TRUST })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IAMServiceException);
    expect(err).toMatchObject({
      name: "AccessDenied",
      $metadata: { httpStatusCode: 403 },
      message:
        "User: arn:aws:iam::111122223333:user/platform-admin is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::111122223333:role/r " +
        "because no identity-based policy allows the iam:CreateRole action",
    });
    expect(aws.fake.roles.size).toBe(0);

    aws.fake.deny("DescribeCluster", "eks:DescribeCluster");
    const eks = await new EKSClient({ region: "eu-west-1" }).send(new DescribeClusterCommand({ name: "studio-eks" })).catch((e: unknown) => e);
    expect(eks).toBeInstanceOf(EksAccessDenied);
    expect((eks as Error).message).toContain("on resource: arn:aws:eks:eu-west-1:111122223333:cluster/studio-eks");

    aws.fake.deny("PutBucketVersioning", "s3:PutBucketVersioning", { s3Style: true });
    await expect(new S3Client({ region: "eu-west-1" }).send(new PutBucketVersioningCommand({ Bucket: "b", VersioningConfiguration: { Status: "Enabled" } }))).rejects.toMatchObject({
      name: "AccessDenied",
      message: "Access Denied",
    });
  });

  it("throttle N times: the SDK's retry strategy retries; more than it allows reaches the caller with the service's code", async () => {
    aws.fake.addRole("r", {});
    aws.fake.routeThroughSdk("iam");
    aws.fake.throttle("GetRole", 2);
    const iam = new IAMClient(retrying);
    const ok = await iam.send(new GetRoleCommand({ RoleName: "r" }));
    expect(ok.Role?.RoleName).toBe("r");
    expect(ok.$metadata.attempts).toBe(3);
    expect(aws.fake.calls("GetRole")).toHaveLength(3);

    aws.fake.throttle("GetRole", 5);
    await expect(iam.send(new GetRoleCommand({ RoleName: "r" }))).rejects.toMatchObject({ name: "Throttling", message: "Rate exceeded", $metadata: { attempts: 3 } });
  });

  it("a 5xx: the service's internal error with HTTP 500; retried when the call goes through the SDK", async () => {
    aws.fake.addRole("r", {});
    aws.fake.fail("GetRole");
    const err = await new IAMClient({ region: "eu-west-1" }).send(new GetRoleCommand({ RoleName: "r" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceFailureException);
    expect(err).toMatchObject({ $fault: "server", $metadata: { httpStatusCode: 500 } });

    aws.fake.routeThroughSdk("iam");
    aws.fake.fail("GetRole", "ServerError", 1);
    const ok = await new IAMClient(retrying).send(new GetRoleCommand({ RoleName: "r" }));
    expect(ok.$metadata.attempts).toBe(2);
  });

  it("delay: the call waits, and its abort signal ends the wait with the SDK's AbortError, mocked or through the SDK", async () => {
    aws.fake.delay("GetCallerIdentity", 5);
    await expect(new STSClient({ region: "eu-west-1" }).send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: "111122223333" });

    aws.fake.delay("GetCallerIdentity", 600_000);
    for (const routed of [false, true]) {
      if (routed) aws.fake.routeThroughSdk("sts");
      const cancel = new AbortController();
      const call = new STSClient({ region: "eu-west-1" }).send(new GetCallerIdentityCommand({}), { abortSignal: cancel.signal });
      cancel.abort();
      await expect(call).rejects.toMatchObject({ name: "AbortError" });
    }
  });
});
