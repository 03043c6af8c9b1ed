import "server-only";
// Every AWS call of the engine goes through `awsCall`: it passes the cancel signal to the SDK and turns a failure
// into an AwsCallError naming the IAM action. The action is written at the call site because it is not always
// the API name (HeadBucket needs s3:ListBucket, PutBucketEncryption needs s3:PutEncryptionConfiguration).
import { AwsCallError, isAbort, isNotFound } from "./errors";

export interface AwsCallContext {
  signal?: AbortSignal;
  /** The caller ARN from STS, when known, for AccessDenied messages whose AWS text does not name it. */
  callerArn?: string;
}

export interface SendOptions {
  abortSignal?: AbortSignal;
}

export async function awsCall<T>(
  cx: AwsCallContext,
  action: string,
  run: (options: SendOptions) => Promise<T>,
): Promise<T> {
  cx.signal?.throwIfAborted();
  try {
    // Each call gets its own signal that follows the run's: the SDK's HTTP handler adds an "abort" listener to
    // the signal it is given for as long as the request is open, and a run's reads go out side by side, so on the
    // run's one signal they added up past Node's limit of 10 (MaxListenersExceededWarning). AbortSignal.any
    // follows the run's signal without adding a listener to it.
    return await run(cx.signal ? { abortSignal: AbortSignal.any([cx.signal]) } : {});
  } catch (err) {
    if (isAbort(err) || cx.signal?.aborted) throw err;
    throw new AwsCallError(err, action, cx.callerArn);
  }
}

/** Like awsCall, but a "no such thing" answer (404, NoSuchEntity, …) yields `null`. */
export async function awsFind<T>(
  cx: AwsCallContext,
  action: string,
  run: (options: SendOptions) => Promise<T>,
): Promise<T | null> {
  try {
    return await awsCall(cx, action, run);
  } catch (err) {
    if (err instanceof AwsCallError && isNotFound(err)) return null;
    throw err;
  }
}

