import "server-only";
// Which KMS key an SSE-KMS bucket uses: S3 reports what was configured (a key id, a key ARN, an alias), IAM
// grants need the key's ARN, and only a customer managed key needs a grant (the AWS managed aws/s3 key's policy
// already lets the account's principals use it through S3).
import { DescribeKeyCommand, GetKeyPolicyCommand } from "@aws-sdk/client-kms";
import { awsFind, type AwsCallContext } from "./call";
import { AwsCallError } from "./errors";
import type { AwsClients } from "./clients";

export interface ObservedKmsKey {
  arn: string;
  manager: "CUSTOMER" | "AWS";
  enabled: boolean;
}

/** The key `keyRef` names (id, key ARN, alias or alias ARN), or null when KMS does not know it. */
export async function describeKmsKey(c: AwsClients, cx: AwsCallContext, keyRef: string): Promise<ObservedKmsKey | null> {
  const res = await awsFind(cx, "kms:DescribeKey", (o) => c.kms.send(new DescribeKeyCommand({ KeyId: keyRef }), o));
  const m = res?.KeyMetadata;
  if (!m?.Arn) return null;
  return { arn: m.Arn, manager: m.KeyManager === "AWS" ? "AWS" : "CUSTOMER", enabled: m.Enabled === true };
}

/** A key's policy as the access matrix reads it: the document, or why it could not be read. */
export type KeyPolicyRead = { keyArn: string; keyPolicy: object } | { keyArn: string; keyPolicy: null; reason: string };

/**
 * The default key policy of `keyArn`. KMS answers GetKeyPolicy only to the key's own account, so a key of
 * another account, an AccessDenied or a key that is gone is a reason (shown by the matrix), not a failed read.
 */
export async function readKeyPolicy(c: AwsClients, cx: AwsCallContext, keyArn: string, accountId: string): Promise<KeyPolicyRead> {
  const owner = keyArn.split(":")[4];
  if (owner !== accountId) return { keyArn, keyPolicy: null, reason: `the key belongs to account ${owner}: KMS shows its key policy only there` };
  try {
    const res = await awsFind(cx, "kms:GetKeyPolicy", (o) => c.kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: "default" }), o));
    if (!res?.Policy) return { keyArn, keyPolicy: null, reason: "KMS knows no such key" };
    return { keyArn, keyPolicy: JSON.parse(res.Policy) as object };
  } catch (error) {
    if (error instanceof AwsCallError && error.accessDenied) return { keyArn, keyPolicy: null, reason: error.message };
    throw error;
  }
}
