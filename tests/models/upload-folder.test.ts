// The folder upload against an S3 object store double (aws-sdk-client-mock) through the real lib-storage Upload:
// multipart with per-part SHA-256, skip-if-present, resume after an interrupted run (aborted mid-upload, then a
// second run), changed files, cancel, and errors that name the IAM action; and the models already in the bucket.
import { S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AwsCallError } from "@/lib/aws/errors";
import { modelsInBucket } from "@/lib/models/bucket-models";
import { uploadFolder, type UploadProgress } from "@/lib/models/upload-folder";
import { S3ObjectStore } from "@/tests/support/s3-object-store";

const MiB = 1024 * 1024;
const BUCKET = "studio-shared-storage-staging";
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

let dir: string;
let store: S3ObjectStore;
let s3: S3Client;
const files: Record<string, Buffer> = {};

function write(name: string, body: Buffer) {
  fs.writeFileSync(path.join(dir, name), body);
  files[name] = body;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "models-"));
  for (const k of Object.keys(files)) delete files[k];
  write("20260101-101010-big-otter.tar.gz", randomBytes(12 * MiB)); // 3 parts of 5 MiB
  write("20260102-111111-small-lynx.tar.gz", randomBytes(1024)); // one PUT
  write("20260103-121212-mid-heron.tar.gz", randomBytes(6 * MiB)); // 2 parts
  fs.writeFileSync(path.join(dir, "README.txt"), "not a model");
  store = new S3ObjectStore(BUCKET).install();
  s3 = new S3Client({ region: "eu-west-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
});
afterEach(() => {
  store.restore();
  s3.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const run = (extra: Partial<Parameters<typeof uploadFolder>[0]> = {}) =>
  uploadFolder({ folder: dir, bucket: BUCKET, region: "eu-west-1", s3, partSize: 5 * MiB, fileConcurrency: 1, queueSize: 1, ...extra });

/** A signal that stops the run once part `partNumber` of `key` has been sent (the part lands, then the run stops). */
function interruptAt(key: string, partNumber: number, reason = "stopped"): AbortSignal {
  const ac = new AbortController();
  store.onCommand((command, input) => {
    if (command === "UploadPart" && input.Key === key && input.PartNumber === partNumber) ac.abort(new Error(reason));
  });
  return ac.signal;
}

function expectStoredAsLocal(name: string) {
  const o = store.objects.get(name)!;
  expect(o.body.equals(files[name])).toBe(true);
  expect(o.metadata).toEqual({ sha256: sha256(files[name]) });
}

describe("model upload from a folder", () => {
  it("uploads the models with multipart and per-part SHA-256, reporting files and bytes", async () => {
    const seen: UploadProgress[] = [];
    const result = await run({ onProgress: (p) => seen.push(p), fileConcurrency: 2, queueSize: 2 });
    expect(result).toMatchObject({ filesTotal: 3, filesDone: 3, filesUploaded: 3, filesSkipped: 0, bytesTotal: 18 * MiB + 1024, bytesDone: 18 * MiB + 1024 });
    expect(result.files.map((f) => [f.key, f.outcome])).toEqual([
      ["20260101-101010-big-otter.tar.gz", "uploaded"],
      ["20260102-111111-small-lynx.tar.gz", "uploaded"],
      ["20260103-121212-mid-heron.tar.gz", "uploaded"],
    ]);
    for (const name of Object.keys(files)) expectStoredAsLocal(name);
    expect(store.objects.has("README.txt")).toBe(false);
    expect(store.calls("CreateMultipartUpload").map((c) => [c.input.Key, c.input.ChecksumAlgorithm, c.input.Metadata.sha256])).toEqual(
      expect.arrayContaining([["20260101-101010-big-otter.tar.gz", "SHA256", sha256(files["20260101-101010-big-otter.tar.gz"])]]),
    );
    expect(store.calls("UploadPart")).toHaveLength(5);
    expect(store.calls("UploadPart").every((c) => c.input.ChecksumAlgorithm === "SHA256")).toBe(true);
    expect(store.calls("PutObject").map((c) => c.input.Key)).toEqual(["20260102-111111-small-lynx.tar.gz"]);
    // Progress only grows, and ends at the total.
    const bytes = seen.map((p) => p.bytesDone);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    expect(seen.at(-1)).toMatchObject({ filesDone: 3, bytesDone: 18 * MiB + 1024, current: [] });
    expect(seen.some((p) => p.bytesDone > 0 && p.bytesDone < 12 * MiB && p.current.includes("20260101-101010-big-otter.tar.gz"))).toBe(true);
  });

  it("skips what is already there with the same size and checksum; uploads what changed", async () => {
    await run();
    store.log.length = 0;
    const again = await run();
    expect(again).toMatchObject({ filesSkipped: 3, filesUploaded: 0, bytesDone: again.bytesTotal });
    expect(store.calls().map((c) => c.command)).toEqual(["HeadObject", "HeadObject", "HeadObject"]);

    // Same size, other bytes: uploaded again. An object another writer put with S3's full-object SHA-256 and no
    // metadata is recognised too.
    write("20260103-121212-mid-heron.tar.gz", randomBytes(6 * MiB));
    store.objects.delete("20260102-111111-small-lynx.tar.gz");
    store.putDirect("20260102-111111-small-lynx.tar.gz", files["20260102-111111-small-lynx.tar.gz"]);
    const third = await run();
    expect(third.files.map((f) => f.outcome)).toEqual(["skipped", "skipped", "uploaded"]);
    expectStoredAsLocal("20260103-121212-mid-heron.tar.gz");
  });

  it("resumes after an interrupted run: the parts already in the bucket are kept, only the rest is sent", async () => {
    const big = "20260101-101010-big-otter.tar.gz";
    await expect(run({ signal: interruptAt(big, 2, "console stopped") })).rejects.toThrow("console stopped");
    expect(store.objects.has(big)).toBe(false);
    const [[openId, open]] = [...store.uploads.entries()];
    expect(open.key).toBe(big);
    expect([...open.parts.keys()]).toEqual([1, 2]);

    store.log.length = 0;
    const second = await run();
    expect(second.files.find((f) => f.key === big)?.outcome).toBe("resumed");
    expect(store.calls("ListMultipartUploads").map((c) => c.input.Prefix)).toContain(big);
    expect(store.calls("ListParts").map((c) => c.input.UploadId)).toEqual([openId]);
    expect(store.calls("UploadPart").filter((c) => c.input.Key === big).map((c) => [c.input.UploadId, c.input.PartNumber])).toEqual([[openId, 3]]);
    expect(store.calls("CompleteMultipartUpload").filter((c) => c.input.Key === big).map((c) => c.input.UploadId)).toEqual([openId]);
    expect(second.bytesDone).toBe(second.bytesTotal);
    expect(store.calls("CreateMultipartUpload").filter((c) => c.input.Key === big)).toEqual([]);
    expect(store.uploads.size).toBe(0);
    for (const name of Object.keys(files)) expectStoredAsLocal(name);
  });

  it("resumes an upload whose parts were all sent but that was never completed", async () => {
    const big = "20260101-101010-big-otter.tar.gz";
    store.failNext("CompleteMultipartUpload", () => new S3ServiceException({ name: "InternalError", $fault: "server", $metadata: { httpStatusCode: 500 }, message: "We encountered an internal error" }));
    const err = await run().catch((e) => e);
    expect(err).toBeInstanceOf(AwsCallError);
    expect(err.message).toMatch(/^s3:PutObject failed: InternalError/);
    store.log.length = 0;
    const second = await run();
    expect(second.files.find((f) => f.key === big)?.outcome).toBe("resumed");
    expect(store.calls("UploadPart").filter((c) => c.input.Key === big)).toEqual([]);
    expectStoredAsLocal(big);
  });

  it("does not reuse parts of a file that changed since: the stale upload is aborted and the file sent anew", async () => {
    const big = "20260101-101010-big-otter.tar.gz";
    await expect(run({ signal: interruptAt(big, 2) })).rejects.toThrow("stopped");
    const staleId = [...store.uploads.keys()][0];
    write(big, randomBytes(12 * MiB));
    store.log.length = 0;
    const second = await run();
    expect(second.files.find((f) => f.key === big)?.outcome).toBe("uploaded");
    expect(store.calls("AbortMultipartUpload").map((c) => c.input.UploadId)).toEqual([staleId]);
    expect(store.calls("UploadPart").filter((c) => c.input.Key === big)).toHaveLength(3);
    expectStoredAsLocal(big);
  });

  it("resumes against an endpoint that lists no part checksums, by the parts' MD5 ETags", async () => {
    const big = "20260101-101010-big-otter.tar.gz";
    await expect(run({ signal: interruptAt(big, 2) })).rejects.toThrow("stopped");
    store.listsPartChecksums = false;
    store.log.length = 0;
    expect((await run()).files.find((f) => f.key === big)?.outcome).toBe("resumed");
    expect(store.calls("UploadPart").filter((c) => c.input.Key === big).map((c) => c.input.PartNumber)).toEqual([3]);
    expectStoredAsLocal(big);
  });

  it("a cancelled run sends nothing more; errors name the IAM action", async () => {
    const ac = new AbortController();
    ac.abort(new Error("cancelled"));
    await expect(run({ signal: ac.signal })).rejects.toThrow("cancelled");
    expect(store.calls()).toEqual([]);

    store.failNext("PutObject", () => new S3ServiceException({ name: "AccessDenied", $fault: "client", $metadata: { httpStatusCode: 403 }, message: "Access Denied" }));
    const err = await run().catch((e) => e);
    expect(err).toBeInstanceOf(AwsCallError);
    expect(err.message).toMatch(/^access denied: the console's AWS identity is not allowed to call s3:PutObject/);
  });

  it("bad input is refused before anything is read or sent, naming the field", async () => {
    await expect(run({ bucket: "Not_A_Bucket" })).rejects.toThrow(/^bucket /);
    await expect(run({ folder: path.join(dir, "missing") })).rejects.toThrow(/^folder ".*missing" does not exist/);
    await expect(run({ partSize: 1024 })).rejects.toThrow(/^partSize must be .* at least 5 MiB/);
    await expect(run({ keyPrefix: "/models" })).rejects.toThrow(/^keyPrefix must not start with "\/"/);
    expect(store.calls()).toEqual([]);
  });

  it("keys carry the prefix; the `all` layout takes every file below the folder", async () => {
    fs.mkdirSync(path.join(dir, "nested"));
    fs.writeFileSync(path.join(dir, "nested", "x.bin"), "x");
    const r = await run({ keyPrefix: "models/", layout: "all" });
    expect(r.files.map((f) => f.key)).toEqual([
      "models/20260101-101010-big-otter.tar.gz",
      "models/20260102-111111-small-lynx.tar.gz",
      "models/20260103-121212-mid-heron.tar.gz",
      "models/README.txt",
      "models/nested/x.bin",
    ]);
  });
});

describe("models in the bucket", () => {
  it("counts the models under the prefix, across pages, ignoring other objects", async () => {
    for (let i = 0; i < 1203; i++) store.putDirect(`m-${String(i).padStart(4, "0")}.tar.gz`, Buffer.alloc(10));
    store.putDirect("notes.txt", Buffer.alloc(5));
    store.putDirect("models/other.tar.gz", Buffer.alloc(7));
    expect(await modelsInBucket(s3, BUCKET)).toMatchObject({ files: 1203, bytes: 12030 });
    expect(store.calls("ListObjectsV2")).toHaveLength(2);
    expect(await modelsInBucket(s3, BUCKET, "models/")).toEqual({ files: 1, bytes: 7, keys: ["models/other.tar.gz"] });
  });
});
