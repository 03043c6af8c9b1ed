import "server-only";
// A Kubernetes bearer token for an EKS cluster, signed from the console's own AWS identity the way
// `aws eks get-token` makes it: a presigned STS GetCallerIdentity URL whose signature also covers the header
// `x-k8s-aws-id: <cluster name>` (so the token works for that one cluster), base64url-encoded without padding
// and prefixed `k8s-aws-v1.`. The cluster's authenticator replays the URL against STS to learn who is calling.
//
// The STS host is always the real regional endpoint of the region's partition, never AWS_ENDPOINT_URL: the
// cluster (not the console) calls it, and EKS accepts only genuine STS hosts.
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { Sha256 } from "@smithy/core/checksum";
import { HttpRequest } from "@smithy/core/protocols";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { partitionOf } from "@/lib/config/aws-names";

export const EKS_TOKEN_PREFIX = "k8s-aws-v1.";
/** The header whose signed value binds the token to one cluster. */
export const CLUSTER_ID_HEADER = "x-k8s-aws-id";
/** What `aws eks get-token` asks for; the authenticator itself accepts a token for 15 minutes after signing. */
export const PRESIGN_EXPIRES_SECONDS = 60;
/** `aws eks get-token` reports 14 minutes; the console renews a minute before that. */
const TOKEN_LIFETIME_MS = 14 * 60_000;

export interface EksToken {
  token: string;
  /** When to stop using it (renew before). */
  expiresAt: Date;
}

export interface EksTokenOptions {
  clusterName: string;
  region: string;
  /** The SDK's default chain when omitted (environment, profile, SSO, web identity, instance role). */
  credentials?: AwsCredentialIdentityProvider;
  /** Signing time (tests). */
  now?: Date;
}

/** The regional STS host of the region's partition (`sts.cn-north-1.amazonaws.com.cn` in China). */
export function stsRegionalHost(region: string): string {
  return partitionOf(region) === "aws-cn" ? `sts.${region}.amazonaws.com.cn` : `sts.${region}.amazonaws.com`;
}

let defaultChain: AwsCredentialIdentityProvider | null = null;

/** One default-chain provider per process: it caches and refreshes what it resolved. */
function defaultCredentials(): AwsCredentialIdentityProvider {
  defaultChain ??= fromNodeProviderChain();
  return defaultChain;
}

export async function eksToken(opts: EksTokenOptions): Promise<EksToken> {
  if (!opts.clusterName) throw new Error("clusterName is required to sign an EKS token");
  const now = opts.now ?? new Date();
  const host = stsRegionalHost(opts.region);
  const signer = new SignatureV4({
    service: "sts",
    region: opts.region,
    credentials: opts.credentials ?? defaultCredentials(),
    sha256: Sha256,
  });
  const request = new HttpRequest({
    method: "GET",
    protocol: "https:",
    hostname: host,
    path: "/",
    query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
    headers: { host, [CLUSTER_ID_HEADER]: opts.clusterName },
  });
  const signed = await signer.presign(request, { expiresIn: PRESIGN_EXPIRES_SECONDS, signingDate: now });
  const url = `https://${host}/?${queryString(signed.query ?? {})}`;
  return {
    token: EKS_TOKEN_PREFIX + Buffer.from(url, "utf8").toString("base64url"),
    expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS),
  };
}

function queryString(query: Record<string, string | string[] | null>): string {
  return Object.entries(query)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : v === null ? [] : [v]).map((x) => `${enc(k)}=${enc(x)}`))
    .join("&");
}

/** RFC 3986 encoding, as SigV4 canonicalises it. */
function enc(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A token source that signs again a minute before the token runs out; what the cluster connection asks for
 * before each request.
 */
export function eksTokenSource(opts: Omit<EksTokenOptions, "now">): () => Promise<string> {
  let current: EksToken | null = null;
  return async () => {
    if (!current || current.expiresAt.getTime() - Date.now() < 60_000) current = await eksToken(opts);
    return current.token;
  };
}
