import "server-only";
// Teardown step `teardown-bucket`: the model bucket, when the console created it for this environment (its tags).
// An empty bucket is deleted. A bucket that still holds objects (models) is deleted only when the admin typed its
// name in the teardown form: then every object version and delete marker goes first, 1000 per DeleteObjects
// request, each batch checkpointed; without the name both rows are kept (the runner skips them).
import { deleteBucket, deleteVersions, headBucket, listVersionsPage, readBucketTags } from "../aws/s3";
import { bucketArn } from "../policies/arn";
import { scopes, type ScopeTarget } from "../policies/scopes";
import { change, json } from "../steps/change";
import { identityFacts } from "../steps/facts";
import type { Change, Facts, Step } from "../steps/types";
import type { EnvironmentSettings } from "../config/environment";
import { alreadyGone, kept, notOursReason, removable } from "./kept";

const KEY = "teardown-bucket";
/** DeleteObjects takes at most 1000 keys a request. */
const BATCH = 1000;

export type TeardownBucketFacts =
  | { state: "missing" }
  | { state: "foreign" }
  | { state: "owned"; tags: Record<string, string>; versions: number; more: boolean };

const objectsOf = (t: ScopeTarget) => [`${bucketArn(t.partition, t.settings?.bucketName ?? "*")}/*`];

function rows(facts: Facts, s: EnvironmentSettings): Change[] {
  const b = facts[KEY] as TeardownBucketFacts | undefined;
  const id = identityFacts(facts);
  if (!b || !id) return [];
  const name = s.bucketName;
  const res = `S3 bucket ${name}`;
  if (b.state === "missing") return [kept(KEY, "bucket", "s3:DeleteBucket", res, "not found: nothing to remove")];
  if (b.state === "foreign") return [kept(KEY, "bucket", "s3:DeleteBucket", res, "kept: owned by another account")];
  if (!removable(b.tags, s.name)) return [kept(KEY, "bucket", "s3:DeleteBucket", res, notOursReason(b.tags))];
  const empty = b.versions === 0;
  const held = empty ? "" : `holds ${b.more ? `more than ${b.versions}` : b.versions} object version${b.versions === 1 && !b.more ? "" : "s"} (models)`;
  const confirm = empty ? {} : { confirmName: name };
  const out: Change[] = [];
  if (!empty)
    out.push(
      change(KEY, "objects", {
        action: "delete",
        call: "s3:DeleteObjects",
        resource: `every object version and delete marker in ${res}`,
        reason: `${held}: deleted only when you type the bucket name in the teardown form; otherwise the bucket is kept`,
        document: json({ Bucket: name, Delete: `every version and delete marker, ${BATCH} per request` }),
        language: "json",
        needs: ["s3:ListBucketVersions", "s3:DeleteObjectVersion"],
        ...confirm,
        async execute(ctx) {
          let deleted = Number(ctx.previous?.deleted ?? 0);
          for (;;) {
            const page = await listVersionsPage(ctx.aws, ctx.cx, name, id.accountId, BATCH);
            if (!page.refs.length) break;
            await deleteVersions(ctx.aws, ctx.cx, name, id.accountId, page.refs);
            deleted += page.refs.length;
            // Each batch is a line a cancel stops at, and what a resumed attempt counts on from.
            await ctx.checkpoint({ deleted });
            await ctx.log("info", `deleted ${deleted} object version${deleted === 1 ? "" : "s"} of ${res} so far`);
          }
          return { output: { deletedVersions: deleted }, message: `deleted ${deleted} object versions and delete markers of ${res}` };
        },
        cli: (w) => {
          w.note(`Every object version and delete marker of ${name}, ${BATCH} per request (repeat until none is listed):`);
          w.command("aws", "s3api", "list-object-versions", "--bucket", name, "--max-items", String(BATCH), "--query",
            "{Objects: [Versions, DeleteMarkers][][].{Key: Key, VersionId: VersionId}}", "--output", "json");
          w.note("aws s3api delete-objects --bucket <bucket> --delete file://<the list above>");
        },
      }),
    );
  out.push(
    change(KEY, "bucket", {
      action: "delete",
      call: "s3:DeleteBucket",
      resource: res,
      reason: `created by the console for ${s.name} (tags)${empty ? "; empty" : `; ${held}`}; its policy and settings go with it`,
      document: json({ Bucket: name }),
      language: "json",
      needs: ["s3:DeleteBucket"],
      ...confirm,
      async execute(ctx) {
        const r = await deleteBucket(ctx.aws, ctx.cx, name, id.accountId);
        return { requestId: r.requestId, message: r.gone ? alreadyGone(res) : `deleted ${res}` };
      },
      cli: (w) => w.command("aws", "s3api", "delete-bucket", "--bucket", name),
    }),
  );
  return out;
}

export const teardownBucketStep: Step<TeardownBucketFacts> = {
  key: KEY,
  title: "Delete the model bucket the console created",
  dependsOn: ["identity"],
  readsAfter: ["identity"],
  permissions: [
    { actions: ["s3:ListBucket", "s3:GetBucketTagging", "s3:ListBucketVersions", "s3:DeleteBucket"], resources: scopes.bucket },
    { actions: ["s3:DeleteObjectVersion"], resources: objectsOf },
  ],
  async observe(ctx) {
    const id = identityFacts(ctx.facts)!;
    const name = ctx.settings.bucketName;
    const head = await headBucket(ctx.aws, ctx.cx, name, id.accountId);
    if (head.state === "missing") return { state: "missing" };
    if (head.state === "foreign") return { state: "foreign" };
    const [tags, page] = await Promise.all([
      readBucketTags(ctx.aws, ctx.cx, name, id.accountId),
      listVersionsPage(ctx.aws, ctx.cx, name, id.accountId, BATCH),
    ]);
    return { state: "owned", tags, versions: page.refs.length, more: page.more };
  },
  changes: rows,
};
