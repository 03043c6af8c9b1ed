// The documents of the environment, each labelled with where it came from, and what a request made by a role's
// session carries: the role's identity policies, its boundary, the request context keys.
import type { Partition } from "../config/aws-names";
import { roleNameOf, type AccessFacts, type PolicyObject, type RoleFacts } from "./input";
import type { LabelledPolicy, SimulationRequest } from "./simulate";

export interface RoleCaller {
  name: string;
  arn: string;
  /** The session a pod's SDK gets after assuming the role. */
  sessionArn: string;
  trust: LabelledPolicy;
  /** Everything the role may do comes from these: inline, then attached. */
  identityPolicies: LabelledPolicy[];
  permissionsBoundary?: LabelledPolicy;
}

function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

export function roleCaller(facts: AccessFacts, role: RoleFacts): RoleCaller {
  const name = roleNameOf(role.roleArn);
  const inline = role.inlinePolicies.map((p) => ({
    source: { kind: "inline" as const, name: p.name, label: `inline policy ${p.name} of ${name}` },
    document: p.document,
  }));
  const attached = role.attachedPolicies.map((p) => ({
    source: { kind: "managed" as const, name: p.name, arn: p.arn, label: `managed policy ${p.name}` },
    document: p.document,
  }));
  const boundary = role.permissionsBoundary
    ? {
        source: {
          kind: "boundary" as const,
          name: lastSegment(role.permissionsBoundary.arn),
          arn: role.permissionsBoundary.arn,
          label: `permissions boundary ${lastSegment(role.permissionsBoundary.arn)}`,
        },
        document: role.permissionsBoundary.document,
      }
    : undefined;
  return {
    name,
    arn: role.roleArn,
    sessionArn: `arn:${facts.partition}:sts::${facts.accountId}:assumed-role/${name}/access-matrix`,
    trust: { source: { kind: "trust", name, label: `trust policy of ${name}` }, document: role.trustPolicy },
    identityPolicies: [...inline, ...attached],
    permissionsBoundary: boundary,
  };
}

export function bucketPolicySource(facts: AccessFacts): LabelledPolicy | undefined {
  if (!facts.bucketPolicy) return undefined;
  return {
    source: { kind: "bucket", name: facts.bucketName, label: `bucket policy of ${facts.bucketName}` },
    document: facts.bucketPolicy,
  };
}

export function keyPolicySource(keyArn: string, doc: PolicyObject): LabelledPolicy {
  const id = lastSegment(keyArn);
  return { source: { kind: "key", name: id, arn: keyArn, label: `key policy of KMS key ${id}` }, document: doc };
}

/**
 * A request made with the role's credentials, over TLS unless `context` says otherwise. The global keys are
 * the ones AWS sets on every signed request and policies commonly test.
 */
export function asRole(
  facts: AccessFacts,
  caller: RoleCaller,
  action: string,
  resource: string,
  extra: { context?: Record<string, string | string[]>; resourcePolicy?: LabelledPolicy } = {},
): SimulationRequest {
  return {
    principal: caller.sessionArn,
    action,
    resource,
    resourceAccount: facts.accountId,
    context: {
      "aws:PrincipalArn": caller.arn,
      "aws:PrincipalAccount": facts.accountId,
      "aws:SecureTransport": "true",
      ...extra.context,
    },
    identityPolicies: caller.identityPolicies,
    permissionsBoundary: caller.permissionsBoundary,
    resourcePolicy: extra.resourcePolicy,
  };
}

/** The DNS suffix of service endpoints (`kms:ViaService` names the S3 endpoint). */
export function dnsSuffix(partition: Partition): string {
  return partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}
