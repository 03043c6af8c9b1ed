import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { awsCall, awsFind } from "./call";
import { awsClients, DEFAULT_MAX_ATTEMPTS, resetAwsClients } from "./clients";
import { AwsCallError, isNotFound } from "./errors";

afterEach(() => {
  resetAwsClients();
  vi.unstubAllEnvs();
});

function sdkError(name: string, message: string, status: number, requestId = "rid-1") {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, requestId } });
}

describe("awsClients", () => {
  it("retries up to AWS_MAX_ATTEMPTS (default 5) with the standard strategy", async () => {
    vi.stubEnv("AWS_MAX_ATTEMPTS", "");
    const { iam } = awsClients("eu-west-1");
    expect(DEFAULT_MAX_ATTEMPTS).toBe(5);
    expect(await iam.config.maxAttempts()).toBe(5);
    expect(((await iam.config.retryStrategy()) as { mode?: string }).mode).toBe("standard");
    resetAwsClients();
    vi.stubEnv("AWS_MAX_ATTEMPTS", "8");
    expect(await awsClients("eu-west-1").rds.config.maxAttempts()).toBe(8);
  });

  it("refuses a malformed AWS_MAX_ATTEMPTS, naming the variable", () => {
    vi.stubEnv("AWS_MAX_ATTEMPTS", "many");
    expect(() => awsClients("eu-west-1")).toThrow(/AWS_MAX_ATTEMPTS must be a whole number, got "many"/);
  });

  it("AWS_ENDPOINT_URL: the SDK sends there, and S3 uses path-style addressing", async () => {
    vi.stubEnv("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
    vi.stubEnv("AWS_ACCESS_KEY_ID", "testing");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "testing");
    vi.stubEnv("AWS_MAX_ATTEMPTS", "1");
    const { s3, sts } = awsClients("eu-west-1");
    expect(s3.config.forcePathStyle).toBe(true);
    // Nothing listens on port 1: the refused connection proves where the request went.
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ code: "ECONNREFUSED", address: "127.0.0.1", port: 1 });
  });

  it("without AWS_ENDPOINT_URL S3 keeps virtual-hosted addressing; clients are shared per region", () => {
    vi.stubEnv("AWS_ENDPOINT_URL", "");
    const a = awsClients("eu-west-1");
    expect(a.s3.config.forcePathStyle).toBe(false);
    expect(awsClients("eu-west-1")).toBe(a);
    expect(awsClients("us-east-1")).not.toBe(a);
  });
});

describe("error mapping", () => {
  it("AccessDenied names the action and the caller AWS reports, and keeps the request id", async () => {
    const err = await awsCall({}, "iam:CreateRole", async () => {
      throw sdkError("AccessDenied", "User: arn:aws:sts::111122223333:assumed-role/ops/alice is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::111122223333:role/x", 403);
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsCallError);
    const e = err as AwsCallError;
    expect(e.message).toMatch(/^access denied: arn:aws:sts::111122223333:assumed-role\/ops\/alice is not allowed to call iam:CreateRole\./);
    expect(e.message).toContain("(AWS request id rid-1)");
    expect(e).toMatchObject({ action: "iam:CreateRole", code: "AccessDenied", requestId: "rid-1", httpStatus: 403, accessDenied: true });
  });

  it("AccessDenied without a caller in AWS's text uses the known caller", async () => {
    const err = (await awsCall({ callerArn: "arn:aws:iam::1:user/bob" }, "s3:PutBucketPolicy", async () => {
      throw sdkError("AccessDenied", "Access Denied", 403);
    }).catch((e: unknown) => e)) as AwsCallError;
    expect(err.message).toMatch(/arn:aws:iam::1:user\/bob is not allowed to call s3:PutBucketPolicy/);
  });

  it("other errors name the action and the AWS error", async () => {
    const err = (await awsCall({}, "rds:ModifyDBInstance", async () => {
      throw sdkError("InvalidDBInstanceState", "Instance is not available", 400);
    }).catch((e: unknown) => e)) as AwsCallError;
    expect(err.message).toBe("rds:ModifyDBInstance failed: InvalidDBInstanceState: Instance is not available (AWS request id rid-1)");
  });

  it("awsFind turns not-found into null and passes the signal to the SDK", async () => {
    const run = new AbortController();
    const seen: AbortSignal[] = [];
    expect(
      await awsFind({ signal: run.signal }, "iam:GetRole", async (o) => {
        seen.push(o.abortSignal!);
        throw sdkError("NoSuchEntity", "not found", 404);
      }),
    ).toBeNull();
    // The call's own signal, following the run's (tests/jobs/abort-listeners.test.ts says why).
    expect(seen).toHaveLength(1);
    expect(seen[0].aborted).toBe(false);
    run.abort();
    expect(seen[0].aborted).toBe(true);
    expect(isNotFound(sdkError("Whatever", "", 404))).toBe(true);
  });

  it("a cancelled call is not wrapped, and a cancelled signal stops before calling", async () => {
    const c = new AbortController();
    c.abort(new Error("cancelled"));
    const run = vi.fn();
    await expect(awsCall({ signal: c.signal }, "iam:GetRole", run)).rejects.toThrow("cancelled");
    expect(run).not.toHaveBeenCalled();
  });
});
