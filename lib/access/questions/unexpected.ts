// Things neither role has any business doing. The console's own policies grant none of them; an attached
// AdministratorAccess, a `*` action or a copied policy from elsewhere grants them all, and each answer names the
// statement that did.
import { bucketArn } from "../../policies/arn";
import type { AccessFacts } from "../input";
import { elsewhereNode, roleNode, slug, type Question } from "../question";
import { asRole, bucketPolicySource, type RoleCaller } from "../sources";

export function unexpectedQuestions(facts: AccessFacts, kind: "rds" | "s3", role: RoleCaller): Question[] {
  const { partition, region, accountId } = facts;
  const probes: { id: string; action: string; resource: string; what: string; bucket?: boolean }[] = [
    { id: "put-role-policy", action: "iam:PutRolePolicy", resource: role.arn, what: "rewrite its own permissions" },
    {
      id: "create-access-key",
      action: "iam:CreateAccessKey",
      resource: `arn:${partition}:iam::${accountId}:user/any-user`,
      what: "create access keys for an IAM user",
    },
    {
      id: "get-secret",
      action: "secretsmanager:GetSecretValue",
      resource: `arn:${partition}:secretsmanager:${region}:${accountId}:secret:any-secret-AbCdEf`,
      what: "read a secret (the master password lives in one)",
    },
    {
      id: "put-bucket-policy",
      action: "s3:PutBucketPolicy",
      resource: bucketArn(partition, facts.bucketName),
      what: "replace the model bucket's policy",
      bucket: true,
    },
  ];
  const bucketPolicy = bucketPolicySource(facts);
  return probes.map((p) => ({
    id: slug("unexpected", kind, p.id),
    group: "unexpected",
    question: `${role.name}: ${p.action} (${p.what})`,
    from: roleNode(role.name),
    to: elsewhereNode(),
    intent: "deny",
    request: asRole(facts, role, p.action, p.resource, { resourcePolicy: p.bucket ? bucketPolicy : undefined }),
  }));
}
