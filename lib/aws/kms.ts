import "server-only";
// Which KMS key an SSE-KMS bucket uses: S3 reports what was configured (a key id, a key ARN, an alias), IAM
// grants need the key's ARN, and only a customer managed key needs a grant (the AWS managed aws/s3 key's policy
// already lets the account's principals use it through S3).
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { awsFind, type AwsCallContext } from "./call";
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
