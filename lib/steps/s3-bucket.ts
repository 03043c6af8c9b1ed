import "server-only";
// Step `s3-bucket` (guide step 3.1, "Create S3 Bucket"): the model bucket with versioning, AES-256 default
// encryption, all four public-access blocks and the console's tags; its policy is the next step's
// (s3-bucket-policy). A bucket already in this account is adopted and converged; a bucket of another account stops
// the step before anything is touched.
import { AwsCallError } from "../aws/errors";
import {
  ALL_PUBLIC_ACCESS_BLOCKED,
  blockPublicAccess,
  createBucket,
  createBucketRequest,
  enableVersioning,
  putEncryption,
  putLifecycleRules,
  putBucketTags,
  readBucket,
  type ObservedBucket,
} from "../aws/s3";
import { adoptionTags, managedTags, missingTags, toTagList } from "../aws/tags";
import type { EnvironmentSettings } from "../config/environment";
import { scopes } from "../policies/scopes";
import { statementsOf } from "../policies/policy-json";
import { adoptReason, bucketPolicyWarnings, createdHere } from "./adopt";
import { describeKmsKey } from "../aws/kms";
import { ABORT_MULTIPART_DAYS, lifecycleInPlace, lifecycleRules, mergeLifecycleRules } from "../policies/bucket-lifecycle";
import { encryptionInPlace, encryptionNotes, wantedEncryption } from "./bucket-encryption";
import { change, json } from "./change";
import { identityFacts, startedByRun } from "./facts";
import type { Change, Facts, ObserveContext, Step } from "./types";

type Owned = Extract<ObservedBucket, { state: "owned" }>;

export const bucketFacts = (facts: Facts) => facts["s3-bucket"] as ObservedBucket | undefined;

/**
 * The bucket with, for SSE-KMS, its key as KMS describes it: one read per observation, shared by the s3-bucket and
 * s3-bucket-policy steps. The AWS managed aws/s3 key (no key id configured) needs no look-up.
 */
export function loadBucket(ctx: ObserveContext): Promise<ObservedBucket> {
  const id = identityFacts(ctx.facts)!;
  return ctx.read(`s3:bucket:${ctx.settings.bucketName}`, async () => {
    const b = await readBucket(ctx.aws, ctx.cx, ctx.settings.bucketName, id.accountId);
    if (b.state === "owned" && b.encryption?.startsWith("aws:kms") && b.kmsKeyId) return { ...b, kmsKey: await describeKmsKey(ctx.aws, ctx.cx, b.kmsKeyId) };
    return b;
  });
}

function allBlocked(pab: Record<string, boolean> | null): boolean {
  return !!pab && Object.keys(ALL_PUBLIC_ACCESS_BLOCKED).every((k) => pab[k] === true);
}

/** Everything an adopted bucket already has, as its adopt row shows it. */
function bucketInventory(b: Owned) {
  return {
    Region: b.region,
    Versioning: b.versioning,
    DefaultEncryption: b.encryption,
    PublicAccessBlock: b.publicAccessBlock,
    PolicyStatements: statementsOf(b.policy),
    Tags: b.tags,
  };
}

function bucketChanges(facts: Facts, s: EnvironmentSettings): Change[] {
  const bucket = bucketFacts(facts);
  if (!bucket || bucket.state === "foreign" || !identityFacts(facts)) return [];
  const name = s.bucketName;
  const res = `S3 bucket ${name}`;
  const owned: Owned | null = bucket.state === "owned" ? bucket : null;
  const status = (ok: boolean) => (!owned ? "create" : ok ? "unchanged" : "update");
  // Once the bucket exists, its settings are independent of each other: they are put side by side.
  const row = (key: string, c: Omit<Change, "id" | "step" | "language">) =>
    change("s3-bucket", key, { language: "json", ...(key === "bucket" ? {} : { after: ["s3-bucket:bucket"] }), ...c });

  const tags = { ...(owned?.tags ?? {}), ...managedTags(s.name) };
  const encryption = wantedEncryption(owned, s);
  const notes = encryptionNotes(owned, s);
  const ourRules = lifecycleRules(s.noncurrentVersionExpiryDays);
  const lifecycle = mergeLifecycleRules(owned?.lifecycle ?? null, ourRules);
  const tagsOk = !!owned && Object.keys(missingTags(owned.tags, managedTags(s.name))).length === 0;
  // The run's own bucket when an earlier attempt of this run created it (tags may not have followed yet).
  const ours = !!owned && (createdHere(owned.tags, s.name) || startedByRun(facts, "s3-bucket:bucket"));
  const regionWarning =
    owned && owned.region !== s.region
      ? [`bucket ${name} is in ${owned.region}, the environment's region is ${s.region}: Studio gets AWS_DEFAULT_REGION=${s.region}`]
      : [];

  return [
    row("bucket", {
      action: owned ? "unchanged" : "create",
      call: "s3:CreateBucket",
      resource: res,
      reason: owned ? (ours ? "bucket exists, created by the console for this environment" : "bucket exists in this account: see its adopt row") : `bucket does not exist; created in ${s.region}`,
      document: json(createBucketRequest(name, s.region)),
      needs: ["s3:CreateBucket"],
      ...(regionWarning.length && ours ? { warnings: regionWarning } : {}),
      ...(!owned && {
        async execute(ctx) {
          try {
            const r = await createBucket(ctx.aws, ctx.cx, name, s.region);
            return { output: { bucketName: name }, requestId: r.requestId, message: `created S3 bucket ${name} in ${s.region}` };
          } catch (err) {
            if (err instanceof AwsCallError && err.code === "BucketAlreadyExists")
              throw new Error(`bucket ${name} was just taken by another account (s3:CreateBucket BucketAlreadyExists): choose another name`);
            throw err;
          }
        },
        cli: (w) =>
          s.region === "us-east-1"
            ? w.command("aws", "s3api", "create-bucket", "--bucket", name)
            : w.command("aws", "s3api", "create-bucket", "--bucket", name, "--create-bucket-configuration", `LocationConstraint=${s.region}`),
      }),
    }),
    // A bucket this environment did not create is adopted only on purpose: the console's tags are its adoption.
    owned && !ours
      ? row("adopt", {
          action: "adopt",
          call: "s3:PutBucketTagging",
          resource: res,
          reason: adoptReason(res, owned.tags, s.name),
          document: json({ TagSet: toTagList({ ...owned.tags, ...adoptionTags(s.name) }), Existing: bucketInventory(owned) }),
          confirmName: name,
          needs: ["s3:PutBucketTagging"],
          warnings: [...regionWarning, ...bucketPolicyWarnings(name, owned.policy)],
          execute: async (ctx) => ({
            requestId: (await putBucketTags(ctx.aws, ctx.cx, name, { ...owned.tags, ...adoptionTags(s.name) })).requestId,
            message: `adopted S3 bucket ${name} (tagged ${Object.keys(managedTags(s.name)).join(", ")})`,
          }),
          cli: (w) =>
            w.command("aws", "s3api", "put-bucket-tagging", "--bucket", name, "--tagging", {
              file: json({ TagSet: toTagList({ ...owned.tags, ...adoptionTags(s.name) }) }),
              name: "bucket-tags",
            }),
        })
      : row("tags", {
          action: status(tagsOk),
          call: "s3:PutBucketTagging",
          resource: `tags of ${res}`,
          reason: tagsOk ? "tags present" : "the console's tags are added to the bucket's own",
          document: json({ TagSet: toTagList(tags) }),
          needs: ["s3:PutBucketTagging"],
          ...(!tagsOk && {
            execute: async (ctx) => ({ requestId: (await putBucketTags(ctx.aws, ctx.cx, name, tags)).requestId, message: `tagged S3 bucket ${name}` }),
            cli: (w) => w.command("aws", "s3api", "put-bucket-tagging", "--bucket", name, "--tagging", { file: json({ TagSet: toTagList(tags) }), name: "bucket-tags" }),
          }),
        }),
    row("versioning", {
      action: status(owned?.versioning === "Enabled"),
      call: "s3:PutBucketVersioning",
      resource: `versioning of ${res}`,
      reason: owned ? `versioning is ${owned.versioning ?? "off"}` : undefined,
      document: json({ Status: "Enabled" }),
      needs: ["s3:PutBucketVersioning"],
      ...(owned?.versioning !== "Enabled" && {
        execute: async (ctx) => ({ requestId: (await enableVersioning(ctx.aws, ctx.cx, name)).requestId, message: `enabled versioning on S3 bucket ${name}` }),
        cli: (w) => w.command("aws", "s3api", "put-bucket-versioning", "--bucket", name, "--versioning-configuration", "Status=Enabled"),
      }),
    }),
    row("encryption", {
      action: status(encryptionInPlace(owned, encryption)),
      call: "s3:PutBucketEncryption",
      resource: `default encryption of ${res}`,
      reason: encryptionInPlace(owned, encryption) ? `${encryption.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm} already` : notes.reason,
      document: json(encryption),
      needs: ["s3:PutEncryptionConfiguration"],
      ...(notes.warnings.length ? { warnings: notes.warnings } : {}),
      ...(!encryptionInPlace(owned, encryption) && {
        execute: async (ctx) => ({
          requestId: (await putEncryption(ctx.aws, ctx.cx, name, encryption)).requestId,
          message: `set default encryption ${encryption.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm} on S3 bucket ${name}`,
        }),
        cli: (w) =>
          w.command("aws", "s3api", "put-bucket-encryption", "--bucket", name, "--server-side-encryption-configuration", {
            file: json(encryption),
            name: "bucket-encryption",
          }),
      }),
    }),
    row("lifecycle", {
      action: status(lifecycleInPlace(owned?.lifecycle ?? null, ourRules)),
      call: "s3:PutLifecycleConfiguration",
      resource: `lifecycle rules of ${res}`,
      reason: lifecycleInPlace(owned?.lifecycle ?? null, ourRules)
        ? "lifecycle rules in place"
        : `noncurrent versions expire after ${s.noncurrentVersionExpiryDays} days, incomplete multipart uploads are aborted after ${ABORT_MULTIPART_DAYS} days` +
          (owned?.lifecycle?.length ? `; the bucket's ${owned.lifecycle.filter((r) => !ourRules.some((o) => o.ID === r.ID)).length} own rule(s) kept` : ""),
      document: json({ Rules: lifecycle }),
      needs: ["s3:PutLifecycleConfiguration"],
      ...(!lifecycleInPlace(owned?.lifecycle ?? null, ourRules) && {
        execute: async (ctx) => ({
          requestId: (await putLifecycleRules(ctx.aws, ctx.cx, name, lifecycle)).requestId,
          message: `put the lifecycle rules of S3 bucket ${name} (noncurrent versions ${s.noncurrentVersionExpiryDays} days, incomplete uploads ${ABORT_MULTIPART_DAYS} days)`,
        }),
        cli: (w) =>
          w.command("aws", "s3api", "put-bucket-lifecycle-configuration", "--bucket", name, "--lifecycle-configuration", {
            file: json({ Rules: lifecycle }),
            name: "bucket-lifecycle",
          }),
      }),
    }),
    row("public-access-block", {
      action: status(allBlocked(owned?.publicAccessBlock ?? null)),
      call: "s3:PutPublicAccessBlock",
      resource: `public access block of ${res}`,
      reason: owned && !allBlocked(owned.publicAccessBlock) ? "not all four blocks are on" : undefined,
      document: json(ALL_PUBLIC_ACCESS_BLOCKED),
      needs: ["s3:PutBucketPublicAccessBlock"],
      ...(!allBlocked(owned?.publicAccessBlock ?? null) && {
        execute: async (ctx) => ({
          requestId: (await blockPublicAccess(ctx.aws, ctx.cx, name)).requestId,
          message: `blocked all public access to S3 bucket ${name}`,
        }),
        cli: (w) =>
          w.command(
            "aws", "s3api", "put-public-access-block", "--bucket", name, "--public-access-block-configuration",
            "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
          ),
      }),
    }),
  ];
}

export const s3BucketStep: Step<ObservedBucket> = {
  key: "s3-bucket",
  title: "Set up the S3 bucket",
  dependsOn: ["identity"],
  readsAfter: ["identity"],
  permissions: [
    {
      actions: [
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
        "s3:GetLifecycleConfiguration",
        "s3:PutLifecycleConfiguration",
      ],
      resources: scopes.bucket,
    },
    // Which key an SSE-KMS bucket uses (an id or alias as configured → the key's ARN for the S3 role's grant).
    { actions: ["kms:DescribeKey"], resources: (t) => [`arn:${t.partition}:kms:${t.settings?.region ?? "*"}:${t.accountId || "*"}:key/*`] },
  ],
  async observe(ctx) {
    if (!identityFacts(ctx.facts)) throw new Error("s3-bucket: the identity step is observed first (its account is the expected bucket owner)");
    return loadBucket(ctx);
  },
  changes: bucketChanges,
  blockers(facts) {
    const b = bucketFacts(facts);
    return b?.state === "foreign" ? [b.detail] : [];
  },
};
