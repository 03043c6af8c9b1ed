import "server-only";
// Step `s3-bucket-policy` (guide step 3.2, "Configure Bucket Policy"): the bucket's policy granting the S3 role and
// denying any request not made over TLS. Its own step because it names the S3 role, which must exist first, while
// the bucket itself need not wait for the role. An adopted bucket's own statements are kept (merged by Sid).
import { putBucketPolicy } from "../aws/s3";
import type { EnvironmentSettings } from "../config/environment";
import { bucketPolicyStatements, mergeBucketPolicy } from "../policies/bucket-policy";
import { policiesEqual } from "../policies/policy-json";
import { scopes } from "../policies/scopes";
import { POLICY_VERSION } from "../policies/types";
import { change, json } from "./change";
import { identityFacts } from "./facts";
import { roleArnOf } from "./role-step";
import { bucketFacts, loadBucket } from "./s3-bucket";
import { unknownPrincipal, whilePropagating } from "./propagation";
import type { Change, ExecuteContext, Facts, Step } from "./types";

export interface BucketPolicyStepOptions {
  /** How long to wait between tries when S3 does not know a just-created role yet (IAM is eventually consistent). */
  principalRetryMs?: number;
  principalRetries?: number;
}

/** S3 refuses a policy naming a role IAM has not propagated yet: wait and retry, a bounded number of times. */
function putPolicyWhenRoleIsKnown(ctx: ExecuteContext, bucket: string, doc: unknown, opts: Required<BucketPolicyStepOptions>) {
  return whilePropagating(ctx, `s3:PutBucketPolicy ${bucket} (naming the S3 role)`, () => putBucketPolicy(ctx.aws, ctx.cx, bucket, doc), unknownPrincipal, {
    delayMs: opts.principalRetryMs,
    retries: opts.principalRetries,
  });
}

function policyChanges(facts: Facts, s: EnvironmentSettings, opts: Required<BucketPolicyStepOptions>): Change[] {
  const bucket = bucketFacts(facts);
  const id = identityFacts(facts);
  const s3RoleArn = roleArnOf(facts, s, "s3");
  if (!bucket || bucket.state === "foreign" || !id || !s3RoleArn) return [];
  const name = s.bucketName;
  const owned = bucket.state === "owned" ? bucket : null;
  const ours = { Version: POLICY_VERSION, Statement: bucketPolicyStatements({ partition: id.partition, bucketName: name, s3RoleArn }) };
  const policy = mergeBucketPolicy(owned?.policy ?? null, ours);
  const ok = !!owned?.policy && policiesEqual(owned.policy, policy);
  return [
    change("s3-bucket-policy", "policy", {
      action: !owned ? "create" : ok ? "unchanged" : "update",
      call: "s3:PutBucketPolicy",
      resource: `bucket policy of S3 bucket ${name}`,
      reason: !owned ? undefined : !owned.policy ? "no bucket policy yet" : ok ? "policy matches" : "the console's statements are missing or differ",
      document: json(policy),
      language: "json",
      needs: ["s3:PutBucketPolicy"],
      ...(!ok && {
        execute: async (ctx) => ({
          requestId: (await putPolicyWhenRoleIsKnown(ctx, name, policy, opts)).requestId,
          message: `put the bucket policy of S3 bucket ${name} (grants ${s3RoleArn}, denies non-TLS access)`,
        }),
        cli: (w) => w.command("aws", "s3api", "put-bucket-policy", "--bucket", name, "--policy", { file: json(policy), name: "bucket-policy" }),
      }),
    }),
  ];
}

export function createBucketPolicyStep(options: BucketPolicyStepOptions = {}): Step<null> {
  const opts = { principalRetryMs: options.principalRetryMs ?? 5_000, principalRetries: options.principalRetries ?? 12 };
  return {
    key: "s3-bucket-policy",
    title: "Configure the bucket policy",
    dependsOn: ["s3-bucket", "s3-role"],
    readsAfter: ["identity"],
    permissions: [{ actions: ["s3:GetBucketPolicy", "s3:PutBucketPolicy"], resources: scopes.bucket }],
    // The policy is read with the bucket (one read of it per observation, shared with the s3-bucket step).
    async observe(ctx) {
      if (identityFacts(ctx.facts)) await loadBucket(ctx);
      return null;
    },
    changes: (facts, s) => policyChanges(facts, s, opts),
  };
}

export const s3BucketPolicyStep = createBucketPolicyStep();
