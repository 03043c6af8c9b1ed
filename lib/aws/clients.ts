import "server-only";
// The one factory for AWS SDK clients. Credentials come from the SDK's default provider chain only (env,
// profile, SSO, web identity, instance role): the console never holds keys. `AWS_ENDPOINT_URL` (read by the
// SDK itself) points every client at an AWS-compatible endpoint.
import { EKSClient } from "@aws-sdk/client-eks";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { RDSClient } from "@aws-sdk/client-rds";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";

export interface AwsClients {
  sts: STSClient;
  eks: EKSClient;
  rds: RDSClient;
  iam: IAMClient;
  s3: S3Client;
  /** Only to learn which key an SSE-KMS bucket uses (DescribeKey). */
  kms: KMSClient;
}

/** Attempts per call (first try included) when `AWS_MAX_ATTEMPTS` is unset; throttling and 5xx are retried. */
export const DEFAULT_MAX_ATTEMPTS = 5;

function positiveInt(name: string, fallback: number | undefined): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return n;
}

/** The endpoint the SDK will use for S3, when one is configured (the SDK reads these variables itself). */
function s3Endpoint(): string | undefined {
  return process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL || undefined;
}

/** Settings shared by every client, read from the environment when the clients are made. */
function clientSettings() {
  const maxAttempts = positiveInt("AWS_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)!;
  // The standard strategy's backoff, with a fixed delay instead when AWS_RETRY_DELAY_MS is set
  // (tests and emulators: nothing to wait for).
  const fixedDelay = positiveInt("AWS_RETRY_DELAY_MS", undefined);
  return {
    maxAttempts,
    retryMode: "standard" as const,
    ...(fixedDelay !== undefined ? { retryStrategy: new ConfiguredRetryStrategy(maxAttempts, () => fixedDelay) } : {}),
  };
}

const cache = new Map<string, AwsClients>();

/**
 * The clients for one region. Made once per region (and endpoint and retry settings) and shared, so
 * connections and resolved credentials are reused. IAM is global: the SDK's endpoint rules send it to the
 * partition's IAM endpoint.
 */
export function awsClients(region: string): AwsClients {
  const e = process.env;
  const key = [region, e.AWS_ENDPOINT_URL, e.AWS_ENDPOINT_URL_S3, e.AWS_MAX_ATTEMPTS, e.AWS_RETRY_DELAY_MS].join("|");
  const cached = cache.get(key);
  if (cached) return cached;
  const config = { region, ...clientSettings() };
  const clients: AwsClients = {
    sts: new STSClient(config),
    eks: new EKSClient(config),
    rds: new RDSClient(config),
    iam: new IAMClient(config),
    // Emulators serve buckets by path; real S3 wants virtual-hosted style. followRegionRedirects lets
    // HeadBucket and the bucket reads work on a bucket that lives in another region.
    s3: new S3Client({ ...config, forcePathStyle: s3Endpoint() !== undefined, followRegionRedirects: true }),
    kms: new KMSClient(config),
  };
  cache.set(key, clients);
  return clients;
}

/** Forget the shared clients: tests that change the environment or add middleware start from fresh ones. */
export function resetAwsClients(): void {
  for (const c of cache.values()) for (const client of Object.values(c)) client.destroy();
  cache.clear();
}
