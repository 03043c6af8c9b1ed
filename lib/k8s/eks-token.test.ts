// The EKS token against the shape `aws eks get-token` documents: `k8s-aws-v1.` + base64url (no padding) of a
// presigned STS GetCallerIdentity URL on the partition's regional endpoint, valid 60 s, whose signature covers
// `host` and `x-k8s-aws-id`. The signature is recomputed here independently (SigV4 by hand with node:crypto).
import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EKS_TOKEN_PREFIX, eksToken, eksTokenSource, stsRegionalHost } from "./eks-token";

const creds = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const now = new Date("2026-03-04T05:06:07Z");

function decode(token: string): URL {
  expect(token.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
  const body = token.slice(EKS_TOKEN_PREFIX.length);
  expect(body).toMatch(/^[A-Za-z0-9_-]+$/); // base64url alphabet, no `=` padding
  return new URL(Buffer.from(body, "base64url").toString("utf8"));
}

const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();
const sha256hex = (data: string) => createHash("sha256").update(data, "utf8").digest("hex");
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The SigV4 query signature of a presigned GET on `/`, computed from the SigV4 specification. */
function expectedSignature(url: URL, clusterName: string, secret: string): string {
  const params = [...url.searchParams.entries()].filter(([k]) => k !== "X-Amz-Signature");
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonicalQuery = params.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join("&");
  const canonicalRequest = [
    "GET",
    "/",
    canonicalQuery,
    `host:${url.host}\nx-k8s-aws-id:${clusterName}\n`,
    "host;x-k8s-aws-id",
    sha256hex(""),
  ].join("\n");
  const [, date, region, service] = url.searchParams.get("X-Amz-Credential")!.split("/");
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    url.searchParams.get("X-Amz-Date"),
    `${date}/${region}/${service}/aws4_request`,
    sha256hex(canonicalRequest),
  ].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
  return createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
}

describe("EKS bearer token", () => {
  it("is a presigned STS GetCallerIdentity URL bound to the cluster name", async () => {
    const { token, expiresAt } = await eksToken({ clusterName: "studio-eks", region: "eu-west-1", credentials: async () => creds, now });
    const url = decode(token);
    expect(url.protocol).toBe("https:");
    expect(url.host).toBe("sts.eu-west-1.amazonaws.com");
    expect(url.pathname).toBe("/");
    const q = url.searchParams;
    expect(q.get("Action")).toBe("GetCallerIdentity");
    expect(q.get("Version")).toBe("2011-06-15");
    expect(q.get("X-Amz-Algorithm")).toBe("AWS4-HMAC-SHA256");
    expect(q.get("X-Amz-Expires")).toBe("60");
    expect(q.get("X-Amz-Date")).toBe("20260304T050607Z");
    expect(q.get("X-Amz-Credential")).toBe("AKIDEXAMPLE/20260304/eu-west-1/sts/aws4_request");
    expect(q.get("X-Amz-SignedHeaders")!.split(";")).toEqual(["host", "x-k8s-aws-id"]);
    expect(q.get("X-Amz-Security-Token")).toBeNull();
    expect(q.get("X-Amz-Signature")).toBe(expectedSignature(url, "studio-eks", creds.secretAccessKey));
    // The cluster name is signed, not sent in the URL: a token for one cluster does not verify for another.
    expect(q.get("X-Amz-Signature")).not.toBe(expectedSignature(url, "other-cluster", creds.secretAccessKey));
    expect(expiresAt.getTime() - now.getTime()).toBe(14 * 60_000);
  });

  it("carries the session token of temporary credentials", async () => {
    const { token } = await eksToken({
      clusterName: "studio-eks",
      region: "us-east-1",
      credentials: async () => ({ ...creds, sessionToken: "FQoGZXIvYXdzEXAMPLE/+=" }),
      now,
    });
    const url = decode(token);
    expect(url.searchParams.get("X-Amz-Security-Token")).toBe("FQoGZXIvYXdzEXAMPLE/+=");
    expect(url.searchParams.get("X-Amz-Signature")).toBe(expectedSignature(url, "studio-eks", creds.secretAccessKey));
  });

  it.each([
    ["eu-west-1", "sts.eu-west-1.amazonaws.com"],
    ["cn-north-1", "sts.cn-north-1.amazonaws.com.cn"],
    ["us-gov-west-1", "sts.us-gov-west-1.amazonaws.com"],
  ])("uses the regional STS endpoint of %s's partition", async (region, host) => {
    expect(stsRegionalHost(region)).toBe(host);
    const url = decode((await eksToken({ clusterName: "c", region, credentials: async () => creds, now })).token);
    expect(url.host).toBe(host);
    expect(url.searchParams.get("X-Amz-Credential")).toContain(`/${region}/sts/aws4_request`);
  });

  it("ignores AWS_ENDPOINT_URL: the cluster, not the console, calls STS", async () => {
    process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:5055";
    try {
      const url = decode((await eksToken({ clusterName: "c", region: "eu-west-1", credentials: async () => creds, now })).token);
      expect(url.host).toBe("sts.eu-west-1.amazonaws.com");
    } finally {
      delete process.env.AWS_ENDPOINT_URL;
    }
  });

  it("a token source signs once and reuses the token until it is about to expire", async () => {
    let resolved = 0;
    const source = eksTokenSource({ clusterName: "c", region: "eu-west-1", credentials: async () => (resolved++, creds) });
    const a = await source();
    const b = await source();
    expect(b).toBe(a);
    expect(resolved).toBe(1);
  });
});
