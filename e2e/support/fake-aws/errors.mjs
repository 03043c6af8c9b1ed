// Errors built the way the SDK builds them from a real AWS answer: the modeled exception class when the service
// has one (NoSuchEntityException, DBInstanceNotFoundFault, NotFound…), otherwise the client's ServiceException
// with the wire error code as `name` and `Code`, and `$metadata` carrying the HTTP status and a request id.
import { randomBytes, randomUUID } from "node:crypto";

/** @param {number} status @param {boolean} [s3] */
export function metadata(status, s3 = false) {
  return {
    httpStatusCode: status,
    // S3 request ids are 16 hex digits with an extended id; the other services use UUIDs.
    requestId: s3 ? randomBytes(8).toString("hex").toUpperCase() : randomUUID(),
    ...(s3 ? { extendedRequestId: randomBytes(24).toString("base64") } : {}),
    attempts: 1,
    totalRetryDelay: 0,
  };
}

/** The HTTP status AWS answers an error code with. */
export function statusOf(code) {
  if (/AccessDenied|Unauthorized|Forbidden|InvalidClientTokenId|SignatureDoesNotMatch/.test(code)) return 403;
  if (/NotFound|NoSuch/.test(code)) return 404;
  if (/AlreadyExists|AlreadyOwned|Conflict|InUse|ConcurrentModification/.test(code)) return 409;
  if (/SlowDown|Unavailable/.test(code)) return 503;
  if (/Internal|ServiceFailure|ServerException/.test(code)) return 500;
  return 400;
}

/** Messages close to AWS's for codes a scenario may inject without a message of its own. */
const MESSAGES = {
  Throttling: "Rate exceeded",
  ThrottlingException: "Rate exceeded",
  SlowDown: "Please reduce your request rate.",
  InternalError: "We encountered an internal error. Please try again.",
  ServiceFailure: "Service failure",
  ServiceUnavailable: "Service is unable to handle request.",
};

/**
 * @param {Record<string, any>} sdk the client package (`@aws-sdk/client-iam`, …)
 * @param {string} code the wire error code, e.g. `NoSuchEntity`, `AccessDenied`, `DBInstanceNotFound`
 * @param {string} [message]
 * @param {{ status?: number, s3?: boolean }} [opts]
 */
export function awsError(sdk, code, message, opts = {}) {
  const status = opts.status ?? statusOf(code);
  const $metadata = metadata(status, opts.s3);
  const text = message ?? MESSAGES[code] ?? `${code} (injected by the e2e AWS scenario)`;
  const Base = Object.entries(sdk).find(([k, v]) => k.endsWith("ServiceException") && typeof v === "function")?.[1];
  const Modeled = [code, `${code}Exception`, `${code}Fault`]
    .map((name) => sdk[name])
    .find((C) => typeof C === "function" && Base && C.prototype instanceof Base);
  if (Modeled) return new Modeled({ message: text, $metadata });
  const err = new Base({ name: code, $fault: status >= 500 ? "server" : "client", message: text, $metadata });
  return Object.assign(err, { Code: code });
}

/**
 * S3 answers HEAD requests without a body, so the SDK knows only the status: 404 becomes `NotFound`, anything
 * else an `Unknown` error with message `UnknownError` (what HeadBucket on another account's bucket gives).
 * @param {Record<string, any>} s3sdk @param {number} status
 */
export function headError(s3sdk, status) {
  if (status === 404) return new s3sdk.NotFound({ message: "NotFound", $metadata: metadata(404, true) });
  return new s3sdk.S3ServiceException({ name: "Unknown", $fault: status >= 500 ? "server" : "client", message: "UnknownError", $metadata: metadata(status, true) });
}

/** What the SDK throws when the caller's abortSignal fires. */
export function abortError() {
  const err = new Error("Request aborted");
  err.name = "AbortError";
  return err;
}

/** IAM actions whose name is not `<service>:<Command>`. */
const ACTIONS = {
  HeadBucket: "s3:ListBucket",
  ListBuckets: "s3:ListAllMyBuckets",
  GetBucketEncryption: "s3:GetEncryptionConfiguration",
  PutBucketEncryption: "s3:PutEncryptionConfiguration",
  GetPublicAccessBlock: "s3:GetBucketPublicAccessBlock",
  PutPublicAccessBlock: "s3:PutBucketPublicAccessBlock",
};

/** The IAM action a command needs, for AccessDenied messages. @param {string} service @param {string} command */
export function actionOf(service, command) {
  return ACTIONS[command] ?? `${service}:${command}`;
}

/**
 * The resource ARN an AccessDenied message names, from the request.
 * @param {{ service: string, partition: string, region: string, accountId: string }} at @param {any} input
 */
export function resourceOf(at, input) {
  const { partition: p, region, accountId } = at;
  if (input.Bucket) return `arn:${p}:s3:::${input.Bucket}`;
  if (input.RoleName) return `arn:${p}:iam::${accountId}:role/${input.RoleName}`;
  if (input.OpenIDConnectProviderArn) return input.OpenIDConnectProviderArn;
  if (input.Url) return `arn:${p}:iam::${accountId}:oidc-provider/${String(input.Url).replace(/^https:\/\//, "")}`;
  if (input.DBInstanceIdentifier) return `arn:${p}:rds:${region}:${accountId}:db:${input.DBInstanceIdentifier}`;
  if (input.DBClusterIdentifier) return `arn:${p}:rds:${region}:${accountId}:cluster:${input.DBClusterIdentifier}`;
  if (at.service === "eks" && input.name) return `arn:${p}:eks:${region}:${accountId}:cluster/${input.name}`;
  return "*";
}

/** `User: arn:… is not authorized to perform: s3:PutBucketVersioning on resource: …`, as AWS words it. */
export function accessDeniedMessage(callerArn, action, resource) {
  return (
    `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} ` +
    `because no identity-based policy allows the ${action} action`
  );
}
