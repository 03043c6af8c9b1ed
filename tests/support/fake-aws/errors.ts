// Errors built the way the SDK builds them from a real AWS answer: the modeled exception class of the client
// package in use when the service has one (NoSuchEntityException, DBInstanceNotFoundFault, NotFound…),
// otherwise the package's ServiceException with the wire error code as `name`, and `$metadata` carrying the
// HTTP status and a request id. Classes come from the module the double was installed on, never from a static
// import: the server may load another copy of the SDK than the one this file would import.

/** A client package's exports (`@aws-sdk/client-iam` as loaded by the process under test). */
export type SdkModule = Record<string, unknown>;

export type Service = "sts" | "eks" | "rds" | "iam" | "s3" | "kms";

export interface ResponseMetadata {
  httpStatusCode: number;
  requestId: string;
  extendedRequestId?: string;
  attempts: number;
  totalRetryDelay: number;
}

type ExceptionClass = new (opts: Record<string, unknown>) => Error;

/** The HTTP status AWS answers an error code with. */
export function statusOf(service: Service, code: string): number {
  if (/Internal|ServiceFailure|ServerException|KMSInternal/.test(code)) return 500;
  if (/SlowDown|Unavailable/.test(code)) return 503;
  // KMS answers every client error with 400.
  if (service === "kms") return 400;
  if (code === "ThrottlingException" && service === "eks") return 429;
  if (/AccessDenied|Unauthorized|Forbidden|InvalidClientTokenId|SignatureDoesNotMatch/.test(code)) return 403;
  if (/NotFound|NoSuch/.test(code)) return 404;
  if (/AlreadyExists|AlreadyOwned|Conflict|InUse|ConcurrentModification|BucketNotEmpty/.test(code)) return 409;
  return 400;
}

/** The wire code each service throttles with (all are in the SDK retry strategy's throttling list). */
export const THROTTLING_CODE: Record<Service, string> = {
  sts: "Throttling",
  iam: "Throttling",
  rds: "Throttling",
  s3: "SlowDown",
  eks: "ThrottlingException",
  kms: "ThrottlingException",
};

/** The wire code each service refuses a call with. */
export const ACCESS_DENIED_CODE: Record<Service, string> = {
  sts: "AccessDenied",
  iam: "AccessDenied",
  rds: "AccessDenied",
  s3: "AccessDenied",
  eks: "AccessDeniedException",
  kms: "AccessDeniedException",
};

/** The wire code of each service's internal error (HTTP 500). */
export const SERVER_ERROR_CODE: Record<Service, string> = {
  sts: "InternalFailure",
  iam: "ServiceFailure",
  rds: "InternalFailure",
  s3: "InternalError",
  eks: "ServerException",
  kms: "KMSInternalException",
};

/** Messages close to AWS's for codes injected without a message of their own. */
const MESSAGES: Record<string, string> = {
  Throttling: "Rate exceeded",
  ThrottlingException: "Rate exceeded",
  SlowDown: "Please reduce your request rate.",
  InternalError: "We encountered an internal error. Please try again.",
  InternalFailure: "The request processing has failed because of an unknown error, exception or failure.",
  ServiceFailure: "The request processing has failed because of an unknown error, exception or failure.",
  ServerException: "An internal error occurred. Please try again.",
  KMSInternalException: "An internal error occurred.",
  ServiceUnavailable: "Service is unable to handle request.",
};

function baseException(sdk: SdkModule): ExceptionClass {
  const found = Object.entries(sdk).find(([k, v]) => k.endsWith("ServiceException") && typeof v === "function");
  if (!found) throw new Error("fake AWS: the SDK module has no ServiceException class");
  return found[1] as ExceptionClass;
}

/**
 * The error the SDK would throw for `code`: `sdk[code]`, `sdk[code + "Exception"]` or `sdk[code + "Fault"]` when
 * modeled (so `instanceof` works in the code under test), else the service's base exception named `code`.
 */
export function awsError(sdk: SdkModule, service: Service, code: string, message: string | undefined, $metadata: ResponseMetadata, fields: Record<string, unknown> = {}): Error {
  const text = message ?? MESSAGES[code] ?? code;
  const Base = baseException(sdk);
  const Modeled = [code, `${code}Exception`, `${code}Fault`]
    .map((name) => sdk[name])
    .find((C): C is ExceptionClass => typeof C === "function" && C.prototype instanceof Base);
  if (Modeled) return new Modeled({ message: text, $metadata, ...fields });
  const err = new Base({ name: code, $fault: $metadata.httpStatusCode >= 500 ? "server" : "client", message: text, $metadata });
  return Object.assign(err, { Code: code }, fields);
}

/**
 * S3 answers HEAD requests without a body, so the SDK knows only the status: 404 becomes `NotFound`, anything
 * else the base exception named `Unknown` with message `UnknownError` (what HeadBucket on another account's
 * bucket gives).
 */
export function headError(s3: SdkModule, $metadata: ResponseMetadata): Error {
  if ($metadata.httpStatusCode === 404) return awsError(s3, "s3", "NotFound", "NotFound", $metadata);
  const Base = baseException(s3);
  return new Base({ name: "Unknown", $fault: $metadata.httpStatusCode >= 500 ? "server" : "client", message: "UnknownError", $metadata });
}

/**
 * What Node's HTTP client throws when the connection drops: `ECONNRESET` before the request reached the service,
 * or (the response lost after the service acted) a socket hang-up with the same code. The SDK's retry strategy
 * counts both as transient (@smithy/core/retry: NODEJS_TIMEOUT_ERROR_CODES) and retries them.
 */
export function connectionError(message: "read ECONNRESET" | "socket hang up"): Error {
  return Object.assign(new Error(message), { code: "ECONNRESET", ...(message === "read ECONNRESET" ? { errno: -104, syscall: "read" } : {}) });
}

/** What the SDK throws when the caller's abortSignal fires. */
export function abortError(): Error {
  const err = new Error("Request aborted");
  err.name = "AbortError";
  return err;
}

/** IAM actions whose name is not `<service>:<Command>`. */
const ACTIONS: Record<string, string> = {
  HeadBucket: "s3:ListBucket",
  ListBuckets: "s3:ListAllMyBuckets",
  ListObjectsV2: "s3:ListBucket",
  ListObjectVersions: "s3:ListBucketVersions",
  GetBucketEncryption: "s3:GetEncryptionConfiguration",
  PutBucketEncryption: "s3:PutEncryptionConfiguration",
  GetPublicAccessBlock: "s3:GetBucketPublicAccessBlock",
  PutPublicAccessBlock: "s3:PutBucketPublicAccessBlock",
  GetBucketLifecycleConfiguration: "s3:GetLifecycleConfiguration",
  PutBucketLifecycleConfiguration: "s3:PutLifecycleConfiguration",
  DeleteBucketLifecycle: "s3:PutLifecycleConfiguration",
  // DeleteObjects is authorised per object: s3:DeleteObjectVersion when versions are named (what teardown sends).
  DeleteObjects: "s3:DeleteObjectVersion",
};

/** The IAM action a command needs (`iam:CreateRole`, `s3:PutEncryptionConfiguration`). */
export function actionOf(service: Service, command: string): string {
  return ACTIONS[command] ?? `${service}:${command}`;
}

/** The resource ARN an AccessDenied message names, from the request. */
export function resourceOf(at: { service: Service; partition: string; region: string; accountId: string }, input: Record<string, unknown>): string {
  const { partition: p, region, accountId } = at;
  const s = (k: string) => (typeof input[k] === "string" ? (input[k] as string) : undefined);
  if (s("Bucket")) return `arn:${p}:s3:::${s("Bucket")}`;
  if (s("RoleName")) return `arn:${p}:iam::${accountId}:role/${s("RoleName")}`;
  if (s("PolicyArn")) return s("PolicyArn")!;
  if (s("OpenIDConnectProviderArn")) return s("OpenIDConnectProviderArn")!;
  if (s("Url")) return `arn:${p}:iam::${accountId}:oidc-provider/${s("Url")!.replace(/^https:\/\//, "")}`;
  if (s("DBInstanceIdentifier")) return `arn:${p}:rds:${region}:${accountId}:db:${s("DBInstanceIdentifier")}`;
  if (s("DBClusterIdentifier")) return `arn:${p}:rds:${region}:${accountId}:cluster:${s("DBClusterIdentifier")}`;
  if (at.service === "eks" && s("associationId") && s("clusterName"))
    return `arn:${p}:eks:${region}:${accountId}:podidentityassociation/${s("clusterName")}/${s("associationId")}`;
  if (at.service === "eks" && (s("clusterName") || s("name"))) return `arn:${p}:eks:${region}:${accountId}:cluster/${s("clusterName") ?? s("name")}`;
  if (at.service === "kms" && s("KeyId")) {
    const key = s("KeyId")!;
    return key.startsWith("arn:") ? key : key.startsWith("alias/") ? `arn:${p}:kms:${region}:${accountId}:${key}` : `arn:${p}:kms:${region}:${accountId}:key/${key}`;
  }
  return "*";
}

/** `User: arn:… is not authorized to perform: s3:PutBucketVersioning on resource: …`, as AWS words it. */
export function accessDeniedMessage(callerArn: string, action: string, resource: string): string {
  return `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
}
