// SDK errors turned into messages an operator can act on: which API action failed, for whom, and the AWS
// request id to quote to AWS support. Not-found answers are classified so discovery can say "missing".

/** Error names AWS uses for "you may not do this". */
const ACCESS_DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "AuthorizationError",
  "UnauthorizedOperation",
  "UnauthorizedException",
  "Forbidden",
]);

/** Error names AWS uses for "no such thing". */
const NOT_FOUND = new Set([
  "NoSuchEntity",
  "NoSuchEntityException",
  "NotFound",
  "NoSuchBucket",
  "ResourceNotFoundException",
  "DBInstanceNotFound",
  "DBInstanceNotFoundFault",
  "DBClusterNotFoundFault",
  "DBClusterNotFound",
  "NoSuchBucketPolicy",
  "NoSuchTagSet",
  "NoSuchTagSetError",
  "NoSuchPublicAccessBlockConfiguration",
  "ServerSideEncryptionConfigurationNotFoundError",
  "NoSuchLifecycleConfiguration",
  "NotFoundException",
]);

interface SdkErrorLike {
  name?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string };
}

function asSdkError(err: unknown): SdkErrorLike {
  return err && typeof err === "object" ? (err as SdkErrorLike) : {};
}

/** The AWS request id of a response or error, when AWS sent one. */
export function requestIdOf(x: unknown): string | undefined {
  return asSdkError(x).$metadata?.requestId || undefined;
}

export function httpStatusOf(err: unknown): number | undefined {
  return asSdkError(err).$metadata?.httpStatusCode;
}

export function errorNameOf(err: unknown): string {
  const e = asSdkError(err);
  return e.name || e.Code || "Error";
}

export function isAccessDenied(err: unknown): boolean {
  if (err instanceof AwsCallError) return err.accessDenied;
  return ACCESS_DENIED.has(errorNameOf(err));
}

/** True for "no such thing" answers (404s and the modeled not-found errors), also after wrapping. */
export function isNotFound(err: unknown): boolean {
  const e = err instanceof AwsCallError ? err.cause : err;
  return NOT_FOUND.has(errorNameOf(e)) || httpStatusOf(e) === 404;
}

export function isAbort(err: unknown): boolean {
  return errorNameOf(err) === "AbortError";
}

/** `User: arn:… is not authorized to perform: iam:CreateRole on resource: …` → the caller ARN. */
function callerFromMessage(message: string): string | undefined {
  return /User: (arn:[^\s]+) is not authorized/.exec(message)?.[1];
}

/** A failed AWS call, with the action (`iam:CreateRole`), the caller when known and the request id. */
export class AwsCallError extends Error {
  readonly action: string;
  readonly code: string;
  readonly requestId?: string;
  readonly httpStatus?: number;
  readonly callerArn?: string;
  readonly accessDenied: boolean;

  constructor(err: unknown, action: string, knownCaller?: string) {
    const code = errorNameOf(err);
    const awsMessage = asSdkError(err).message || code;
    const requestId = requestIdOf(err);
    const callerArn = callerFromMessage(awsMessage) ?? knownCaller;
    const accessDenied = ACCESS_DENIED.has(code);
    const rid = requestId ? ` (AWS request id ${requestId})` : "";
    const message = accessDenied
      ? `access denied: ${callerArn ?? "the console's AWS identity"} is not allowed to call ${action}. ` +
        `Grant ${action} (see the operator policy) and retry. AWS said: ${awsMessage}${rid}`
      : `${action} failed: ${code}: ${awsMessage}${rid}`;
    super(message, { cause: err });
    this.name = "AwsCallError";
    this.action = action;
    this.code = code;
    this.requestId = requestId;
    this.httpStatus = httpStatusOf(err);
    this.callerArn = callerArn;
    this.accessDenied = accessDenied;
  }
}
