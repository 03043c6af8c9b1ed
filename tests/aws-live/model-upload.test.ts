// The folder upload against AWS_ENDPOINT_URL (an emulator on this machine; a remote endpoint only with
// ALLOW_REMOTE_AWS=1): a few hundred models plus one multipart file, read back, a second run that uploads
// nothing, and a run interrupted mid-file that the next run resumes. Skipped, with a message, when unset.
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
} from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsClients } from "@/lib/aws/clients";
import { createBucketRequest } from "@/lib/aws/s3";
import { uploadFolder } from "@/lib/models/upload-folder";
import { assertSafeEndpoint, liveEndpoint } from "./endpoint-guard";

const endpoint = liveEndpoint();
if (!endpoint) console.warn("live model upload skipped: AWS_ENDPOINT_URL is not set");

const MiB = 1024 * 1024;
const region = process.env.AWS_REGION || "eu-west-1";
const bucket = `studio-models-live-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const SMALL_FILES = 300;
const BIG = "20260101-000000-big-model.tar.gz";
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe.skipIf(!endpoint)(`live S3: model upload against ${endpoint}`, () => {
  let dir = "";
  let created = false;
  const s3 = () => awsClients(region).s3;

  beforeAll(async () => {
    assertSafeEndpoint(endpoint!);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "live-models-"));
    for (let i = 0; i < SMALL_FILES; i++)
      fs.writeFileSync(path.join(dir, `20260101-${String(i).padStart(6, "0")}-model.tar.gz`), randomBytes(1024 + (i % 7) * 512));
    fs.writeFileSync(path.join(dir, BIG), randomBytes(12 * MiB));
    await s3().send(new CreateBucketCommand(createBucketRequest(bucket, region)));
    created = true;
  });

  afterAll(async () => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (!created) return;
    try {
      const uploads = (await s3().send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? [];
      for (const u of uploads) await s3().send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }));
      for (;;) {
        const page = await s3().send(new ListObjectsV2Command({ Bucket: bucket }));
        if (!page.Contents?.length) break;
        await s3().send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: page.Contents.map((o) => ({ Key: o.Key! })) } }));
      }
      await s3().send(new DeleteBucketCommand({ Bucket: bucket }));
    } catch (e) {
      console.warn(`live model upload: cleanup left bucket ${bucket}: ${(e as Error).name}`);
    }
  });

  it(`uploads ${SMALL_FILES + 1} models, then a second run uploads nothing`, async () => {
    let lastBytes = 0;
    const first = await uploadFolder({ folder: dir, bucket, region, partSize: 5 * MiB, fileConcurrency: 8, onProgress: (p) => (lastBytes = p.bytesDone) });
    expect(first).toMatchObject({ filesTotal: SMALL_FILES + 1, filesUploaded: SMALL_FILES + 1, filesSkipped: 0 });
    expect(lastBytes).toBe(first.bytesTotal);

    let listed = 0;
    let ContinuationToken: string | undefined;
    do {
      const page = await s3().send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }));
      listed += page.KeyCount ?? 0;
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
    expect(listed).toBe(SMALL_FILES + 1);

    const local = fs.readFileSync(path.join(dir, BIG));
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: BIG }));
    expect(head.ContentLength).toBe(local.length);
    expect(head.Metadata?.sha256).toBe(sha256(local));
    const body = Buffer.from(await (await s3().send(new GetObjectCommand({ Bucket: bucket, Key: BIG }))).Body!.transformToByteArray());
    expect(sha256(body)).toBe(sha256(local));

    const second = await uploadFolder({ folder: dir, bucket, region, fileConcurrency: 8 });
    expect(second).toMatchObject({ filesSkipped: SMALL_FILES + 1, filesUploaded: 0, filesResumed: 0 });
  });

  it("an upload interrupted mid-file is resumed by the next run", async () => {
    const name = "20260102-000000-resumed-model.tar.gz";
    const bytes = randomBytes(16 * MiB);
    const only = fs.mkdtempSync(path.join(os.tmpdir(), "live-resume-"));
    fs.writeFileSync(path.join(only, name), bytes);
    try {
      // Stop the run once the second part has been sent (a middleware sees each UploadPart go out).
      const ac = new AbortController();
      let parts = 0;
      const client = s3();
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const out = await next(args);
          if (context.commandName === "UploadPartCommand" && ++parts === 2) ac.abort(new Error("interrupted"));
          return out;
        },
        { step: "initialize", name: "liveInterrupt", override: true },
      );
      try {
        await expect(uploadFolder({ folder: only, bucket, region, partSize: 5 * MiB, queueSize: 1, signal: ac.signal })).rejects.toThrow("interrupted");
      } finally {
        client.middlewareStack.remove("liveInterrupt");
      }
      const open = (await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: name }))).Uploads ?? [];
      expect(open.map((u) => u.Key)).toEqual([name]);

      let sentParts = 0;
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === "UploadPartCommand") sentParts++;
          return next(args);
        },
        { step: "initialize", name: "livePartCounter", override: true },
      );
      let result;
      try {
        result = await uploadFolder({ folder: only, bucket, region, partSize: 5 * MiB });
      } finally {
        client.middlewareStack.remove("livePartCounter");
      }
      expect(result.files[0].outcome).toBe("resumed");
      expect(sentParts).toBe(4 - 2);
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: name }));
      expect(head.ContentLength).toBe(bytes.length);
      const body = Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: name }))).Body!.transformToByteArray());
      expect(sha256(body)).toBe(sha256(bytes));
      expect((await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: name }))).Uploads ?? []).toEqual([]);
    } finally {
      fs.rmSync(only, { recursive: true, force: true });
    }
  });
});
