import "server-only";
// Step `s3-bucket`: the model bucket with versioning, AES-256 default encryption, all four public-access blocks,
// the console's tags and a policy granting the S3 role and denying non-TLS access. A bucket already in this
// account is adopted and converged; a bucket of another account stops the step before anything is touched.
import type { EnvironmentSettings } from "../config/environment";
import { awsClients } from "../aws/clients";
import { AwsCallError } from "../aws/errors";
import {
  ALL_PUBLIC_ACCESS_BLOCKED,
  blockPublicAccess,
  createBucket,
  createBucketRequest,
  enableVersioning,
  headBucket,
  putAes256Encryption,
  putBucketPolicy,
  putBucketTags,
  readBucket,
} from "../aws/s3";
import { missingTags } from "../aws/tags";
import { mergeBucketPolicy } from "../policies/bucket-policy";
import { policiesEqual, toPolicyJson } from "../policies/policy-json";
import { POLICY_VERSION, type PolicyDocument } from "../policies/types";
import { bucketSpec, type BucketSpec } from "./desired";
import { factsFromObserved, factsFromOutputs } from "./facts";
import { callContext, optionalOutput, type BucketOutput } from "./outputs";
import { sleep } from "./sleep";
import type { ObservedBucket, PlannedChange, Step, StepContext } from "./types";
import { verifyByPlan } from "./verify-by-plan";

export const S3_BUCKET_ACTIONS = [
  "s3:ListBucket",
  "s3:GetBucketLocation",
  "s3:CreateBucket",
  "s3:GetBucketTagging",
  "s3:PutBucketTagging",
  "s3:GetBucketVersioning",
  "s3:PutBucketVersioning",
  "s3:GetEncryptionConfiguration",
  "s3:PutEncryptionConfiguration",
  "s3:GetBucketPublicAccessBlock",
  "s3:PutBucketPublicAccessBlock",
  "s3:GetBucketPolicy",
  "s3:PutBucketPolicy",
];

const ENCRYPTION_REQUEST = { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] };

type Owned = Extract<ObservedBucket, { state: "owned" }>;

/** The policy the bucket should carry: its owner's other statements plus the console's. */
function desiredPolicy(spec: BucketSpec, current: unknown): PolicyDocument {
  return mergeBucketPolicy(current, { Version: POLICY_VERSION, Statement: spec.statements });
}

function allBlocked(pab: Record<string, boolean> | null): boolean {
  return !!pab && Object.keys(ALL_PUBLIC_ACCESS_BLOCKED).every((k) => pab[k] === true);
}

function planBucket(env: EnvironmentSettings, spec: BucketSpec, bucket: ObservedBucket): PlannedChange[] {
  const res = `S3 bucket ${spec.name}`;
  const row = (c: Omit<PlannedChange, "step">): PlannedChange => ({ step: "s3-bucket", language: "json", ...c });
  if (bucket.state === "foreign")
    return [row({ action: "read", call: "s3:HeadBucket", resource: res, reason: bucket.detail, warnings: [bucket.detail] })];
  const owned: Owned | null = bucket.state === "owned" ? bucket : null;
  const status = (ok: boolean) => (!owned ? "create" : ok ? "unchanged" : "update");
  const lacking = owned ? missingTags(owned.tags, spec.tags) : spec.tags;
  const policy = desiredPolicy(spec, owned?.policy ?? null);
  const regionWarning =
    owned && owned.region !== env.region
      ? [`bucket ${spec.name} is in ${owned.region}, the environment's region is ${env.region}: Studio gets AWS_DEFAULT_REGION=${env.region}`]
      : [];
  return [
    row({
      action: owned ? "unchanged" : "create",
      call: "s3:CreateBucket",
      resource: res,
      reason: owned ? "bucket exists in this account: adopted" : `bucket does not exist; created in ${spec.region}`,
      document: toPolicyJson(createBucketRequest(spec.name, spec.region)),
      ...(regionWarning.length ? { warnings: regionWarning } : {}),
    }),
    row({
      action: status(Object.keys(lacking).length === 0),
      call: "s3:PutBucketTagging",
      resource: `tags of ${res}`,
      reason: owned && Object.keys(lacking).length === 0 ? "tags present" : "the console's tags are added to the bucket's own",
      document: toPolicyJson({ TagSet: Object.entries({ ...(owned?.tags ?? {}), ...spec.tags }).map(([Key, Value]) => ({ Key, Value })) }),
    }),
    row({
      action: status(owned?.versioning === "Enabled"),
      call: "s3:PutBucketVersioning",
      resource: `versioning of ${res}`,
      reason: owned ? `versioning is ${owned.versioning ?? "off"}` : undefined,
      document: toPolicyJson({ Status: "Enabled" }),
    }),
    row({
      action: status(owned?.encryption === "AES256"),
      call: "s3:PutBucketEncryption",
      resource: `default encryption of ${res}`,
      reason: owned
        ? owned.encryption === "AES256"
          ? "AES-256 already"
          : `default encryption is ${owned.encryption ?? "unset"}; the S3 role has no KMS permissions, so AES-256 (SSE-S3)`
        : undefined,
      document: toPolicyJson(ENCRYPTION_REQUEST),
    }),
    row({
      action: status(allBlocked(owned?.publicAccessBlock ?? null)),
      call: "s3:PutPublicAccessBlock",
      resource: `public access block of ${res}`,
      reason: owned && !allBlocked(owned.publicAccessBlock) ? "not all four blocks are on" : undefined,
      document: toPolicyJson(ALL_PUBLIC_ACCESS_BLOCKED),
    }),
    row({
      action: status(!!owned?.policy && policiesEqual(owned.policy, policy)),
      call: "s3:PutBucketPolicy",
      resource: `bucket policy of ${res}`,
      reason: !owned ? undefined : !owned.policy ? "no bucket policy yet" : policiesEqual(owned.policy, policy) ? "policy matches" : "the console's statements are missing or differ",
      document: toPolicyJson(policy),
    }),
  ];
}

export interface S3BucketStepOptions {
  /** How long to wait between tries when S3 does not know a just-created role yet (IAM is eventually consistent). */
  principalRetryMs?: number;
  principalRetries?: number;
}

export function createS3BucketStep(opts: S3BucketStepOptions = {}): Step {
  const retryMs = opts.principalRetryMs ?? 5_000;
  const retries = opts.principalRetries ?? 12;

  async function putPolicyWhenRoleIsKnown(ctx: StepContext, bucket: string, doc: unknown) {
    const c = awsClients(ctx.env.region);
    for (let attempt = 1; ; attempt++) {
      try {
        return await putBucketPolicy(c, callContext(ctx), bucket, doc);
      } catch (err) {
        const unknownPrincipal = err instanceof AwsCallError && err.code === "MalformedPolicy" && /principal/i.test(err.message);
        if (!unknownPrincipal || attempt > retries) throw err;
        await ctx.log("info", `S3 does not know the S3 role yet (IAM propagation); retrying the bucket policy in ${retryMs / 1000}s`, err.requestId);
        await sleep(retryMs, ctx.signal);
      }
    }
  }

  const step: Step = {
    key: "s3-bucket",
    title: "Set up the S3 bucket",
    dependsOn: ["discover", "s3-role"],
    iamActions: S3_BUCKET_ACTIONS,

    plan(env, observed) {
      return planBucket(env, bucketSpec(env, factsFromObserved(env, observed)), observed.bucket);
    },

    async apply(ctx) {
      const c = awsClients(ctx.env.region);
      const cx = callContext(ctx);
      const facts = factsFromOutputs(ctx.env, ctx.outputs, "s3-bucket");
      const spec = bucketSpec(ctx.env, facts, optionalOutput(ctx.outputs, "s3-role")?.roleArn);
      const out: BucketOutput = { bucketName: spec.name, bucketArn: spec.arn, bucketRegion: spec.region };
      let changed = false;

      const head = await headBucket(c, cx, spec.name, facts.accountId);
      if (head.state === "foreign") throw new Error(head.detail);
      if (head.state === "missing") {
        try {
          const res = await createBucket(c, cx, spec.name, spec.region);
          await ctx.checkpoint({ ...out });
          await ctx.log("info", `created S3 bucket ${spec.name} in ${spec.region}`, res.requestId);
          changed = true;
        } catch (err) {
          if (err instanceof AwsCallError && err.code === "BucketAlreadyExists")
            throw new Error(`bucket ${spec.name} was just taken by another account (s3:CreateBucket BucketAlreadyExists): choose another name`);
          // Ours already (created since the read): adopt it.
          if (!(err instanceof AwsCallError && err.code === "BucketAlreadyOwnedByYou")) throw err;
        }
      }

      const now = await readBucket(c, cx, spec.name, facts.accountId);
      if (now.state !== "owned") throw new Error(`S3 bucket ${spec.name} is ${now.state} right after creating it`);
      out.bucketRegion = now.region;
      const log = async (msg: string, requestId?: string) => {
        changed = true;
        await ctx.checkpoint({ ...out });
        await ctx.log("info", msg, requestId);
      };

      const lacking = missingTags(now.tags, spec.tags);
      if (Object.keys(lacking).length)
        await log(`tagged S3 bucket ${spec.name}`, (await putBucketTags(c, cx, spec.name, { ...now.tags, ...spec.tags })).requestId);
      if (now.versioning !== "Enabled")
        await log(`enabled versioning on S3 bucket ${spec.name}`, (await enableVersioning(c, cx, spec.name)).requestId);
      if (now.encryption !== "AES256")
        await log(`set default encryption AES-256 on S3 bucket ${spec.name}`, (await putAes256Encryption(c, cx, spec.name)).requestId);
      if (!allBlocked(now.publicAccessBlock))
        await log(`blocked all public access to S3 bucket ${spec.name}`, (await blockPublicAccess(c, cx, spec.name)).requestId);
      const policy = desiredPolicy(spec, now.policy);
      if (!now.policy || !policiesEqual(now.policy, policy))
        await log(
          `put the bucket policy of S3 bucket ${spec.name} (grants ${spec.s3RoleArn}, denies non-TLS access)`,
          (await putPolicyWhenRoleIsKnown(ctx, spec.name, policy)).requestId,
        );
      if (!changed) await ctx.log("info", `S3 bucket ${spec.name} already matches the plan: unchanged`);
      return out;
    },

    verify: (ctx) => verifyByPlan(step, ctx),
  };
  return step;
}

export const s3BucketStep = createS3BucketStep();
