// S3 as the S3 role: every action the model service needs, on the bucket or its objects, through the role's
// policies and the bucket policy together (same account: either may grant, any explicit Deny wins); nothing on
// another bucket; nothing over plain HTTP. With SSE-KMS, the key's grants through the key policy.
import { bucketArn } from "../../policies/arn";
import { S3_BUCKET_ACTIONS, S3_OBJECT_ACTIONS } from "../../policies/s3-actions";
import type { AccessFacts } from "../input";
import { node, roleNode, slug, type Question } from "../question";
import { asRole, bucketPolicySource, dnsSuffix, keyPolicySource, type RoleCaller } from "../sources";
import type { AccessNode, Intent } from "../types";

/** An object key like the model service's: the policies grant `bucket/*`, so any key answers for all. */
export const PROBE_OBJECT_KEY = "models/model.tar.gz";

export function otherBucketName(bucket: string): string {
  return bucket === "another-bucket" ? "another-bucket-2" : "another-bucket";
}

export function storageQuestions(facts: AccessFacts, s3: RoleCaller, rds: RoleCaller): Question[] {
  const bucket = bucketArn(facts.partition, facts.bucketName);
  const object = `${bucket}/${PROBE_OBJECT_KEY}`;
  const bucketPolicy = bucketPolicySource(facts);
  const bucketNode = node("bucket", facts.bucketName, facts.bucketName, "model bucket", true);
  const other = otherBucketName(facts.bucketName);
  const otherNode = node("bucket", other, other, "another bucket", false);
  const ask = (
    id: string,
    role: RoleCaller,
    to: AccessNode,
    action: string,
    resource: string,
    intent: Intent,
    question: string,
    extra: Pick<Question, "mustBeDeniedBy"> & { context?: Record<string, string> } = {},
  ): Question => ({
    id: slug("s3", id),
    group: "storage",
    question,
    from: roleNode(role.name),
    to,
    intent,
    mustBeDeniedBy: extra.mustBeDeniedBy,
    // Another bucket's policy is unknown here: the role's own policies answer for it.
    request: asRole(facts, role, action, resource, { context: extra.context, resourcePolicy: to === otherNode ? undefined : bucketPolicy }),
  });
  const needed = [
    ...S3_BUCKET_ACTIONS.map((a) => ask(a.slice(3), s3, bucketNode, a, bucket, "allow", `${s3.name}: ${a} on the bucket`)),
    ...S3_OBJECT_ACTIONS.map((a) => ask(a.slice(3), s3, bucketNode, a, object, "allow", `${s3.name}: ${a} on its objects`)),
  ];
  const tls = {
    kind: "bucket" as const,
    missing: bucketPolicy
      ? `the bucket policy of ${facts.bucketName} has no Deny for aws:SecureTransport = false`
      : `the bucket ${facts.bucketName} has no bucket policy: nothing denies requests without TLS`,
  };
  const insecure = { "aws:SecureTransport": "false" };
  return [
    ...needed,
    ask("other-bucket-list", s3, otherNode, "s3:ListBucket", bucketArn(facts.partition, other), "deny", `${s3.name}: s3:ListBucket on another bucket`),
    ask("other-bucket-get", s3, otherNode, "s3:GetObject", `${bucketArn(facts.partition, other)}/${PROBE_OBJECT_KEY}`, "deny", `${s3.name}: s3:GetObject in another bucket`),
    ask("insecure-get", s3, bucketNode, "s3:GetObject", object, "deny", `${s3.name}: s3:GetObject without TLS`, { context: insecure, mustBeDeniedBy: tls }),
    ask("insecure-list", s3, bucketNode, "s3:ListBucket", bucket, "deny", `${s3.name}: s3:ListBucket without TLS`, { context: insecure, mustBeDeniedBy: tls }),
    ...(rds.arn !== s3.arn ? [ask("rds-role-get", rds, bucketNode, "s3:GetObject", object, "deny", `${rds.name}: s3:GetObject on the model bucket`)] : []),
  ];
}

/** The KMS key of an SSE-KMS bucket: the S3 role may decrypt and generate data keys through S3, the RDS role not. */
export function keyQuestions(facts: AccessFacts, s3: RoleCaller, rds: RoleCaller): Question[] {
  if (!facts.kms?.keyPolicy) return [];
  const { keyArn } = facts.kms;
  const keyPolicy = keyPolicySource(keyArn, facts.kms.keyPolicy);
  const keyNode = node("key", keyArn, keyPolicy.source.name, "KMS key of the bucket", true);
  // S3 calls KMS on the caller's behalf: the request carries the S3 endpoint and the caller's account.
  const context = { "kms:ViaService": `s3.${facts.region}.${dnsSuffix(facts.partition)}`, "kms:CallerAccount": facts.accountId };
  const ask = (id: string, role: RoleCaller, action: string, intent: Intent): Question => ({
    id: slug("kms", id),
    group: "key",
    question: `${role.name}: ${action} on the bucket's key`,
    from: roleNode(role.name),
    to: keyNode,
    intent,
    request: asRole(facts, role, action, keyArn, { context, resourcePolicy: keyPolicy }),
  });
  return [
    ask("decrypt", s3, "kms:Decrypt", "allow"),
    ask("generate-data-key", s3, "kms:GenerateDataKey", "allow"),
    ...(rds.arn !== s3.arn ? [ask("rds-role-decrypt", rds, "kms:Decrypt", "deny")] : []),
  ];
}
