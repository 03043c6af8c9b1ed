import "server-only";
// Resuming a multipart upload an earlier run left unfinished (the process was killed, the network failed, the
// run was cancelled). The bucket itself is the record: ListMultipartUploads finds uploads of the key, ListParts
// lists what each holds, and a part is reused only when its size and SHA-256 (or, where an endpoint lists no
// checksum, its MD5 ETag) match this file's bytes at that position. Uploads that cannot become this file are
// aborted so they stop costing storage.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from "@aws-sdk/client-s3";
import { awsCall, type AwsCallContext } from "@/lib/aws/call";
import { partCount, partDigests, partRange, readRange } from "./checksums";

export interface UploadTarget {
  s3: S3Client;
  cx: AwsCallContext;
  bucket: string;
  key: string;
  path: string;
  size: number;
  partSize: number;
}

export interface ResumableUpload {
  uploadId: string;
  /** The parts already uploaded and verified, by part number. */
  parts: Map<number, CompletedPart>;
}

async function uploadsOfKey(t: UploadTarget): Promise<{ UploadId: string; Initiated?: Date }[]> {
  const found: { UploadId: string; Initiated?: Date }[] = [];
  let KeyMarker: string | undefined;
  let UploadIdMarker: string | undefined;
  for (;;) {
    const page = await awsCall(t.cx, "s3:ListBucketMultipartUploads", (o) =>
      t.s3.send(new ListMultipartUploadsCommand({ Bucket: t.bucket, Prefix: t.key, KeyMarker, UploadIdMarker }), o),
    );
    for (const u of page.Uploads ?? []) if (u.Key === t.key && u.UploadId) found.push({ UploadId: u.UploadId, Initiated: u.Initiated });
    if (!page.IsTruncated) break;
    KeyMarker = page.NextKeyMarker;
    UploadIdMarker = page.NextUploadIdMarker;
  }
  return found.sort((a, b) => (b.Initiated?.getTime() ?? 0) - (a.Initiated?.getTime() ?? 0));
}

/** The parts of an upload that are this file's bytes, or null when any listed part is not. */
async function verifiedParts(t: UploadTarget, uploadId: string): Promise<Map<number, CompletedPart> | null> {
  const parts = new Map<number, CompletedPart>();
  const count = partCount(t.size, t.partSize);
  let PartNumberMarker: string | undefined;
  for (;;) {
    const page = await awsCall(t.cx, "s3:ListMultipartUploadParts", (o) =>
      t.s3.send(new ListPartsCommand({ Bucket: t.bucket, Key: t.key, UploadId: uploadId, PartNumberMarker }), o),
    );
    for (const p of page.Parts ?? []) {
      const n = p.PartNumber ?? 0;
      if (n < 1 || n > count) return null;
      const { start, length } = partRange(n, t.size, t.partSize);
      if (p.Size !== length) return null;
      t.cx.signal?.throwIfAborted();
      const local = partDigests(await readRange(t.path, start, length));
      const same = p.ChecksumSHA256 ? p.ChecksumSHA256 === local.sha256Base64 : p.ETag === local.etag;
      if (!same) return null;
      parts.set(n, { PartNumber: n, ETag: p.ETag, ChecksumSHA256: p.ChecksumSHA256 ?? local.sha256Base64 });
    }
    if (!page.IsTruncated) break;
    PartNumberMarker = page.NextPartNumberMarker;
  }
  return parts;
}

/** The unfinished upload of this key with the most reusable parts; the ones that cannot be reused are aborted. */
export async function findResumableUpload(t: UploadTarget): Promise<ResumableUpload | null> {
  let best: ResumableUpload | null = null;
  for (const u of await uploadsOfKey(t)) {
    const parts = await verifiedParts(t, u.UploadId);
    const keep = parts && (!best || parts.size > best.parts.size);
    const drop = keep ? best?.uploadId : u.UploadId;
    if (keep) best = { uploadId: u.UploadId, parts: parts! };
    if (drop)
      await awsCall(t.cx, "s3:AbortMultipartUpload", (o) =>
        t.s3.send(new AbortMultipartUploadCommand({ Bucket: t.bucket, Key: t.key, UploadId: drop }), o),
      );
  }
  return best;
}

/**
 * Uploads the parts the resumable upload lacks (`concurrency` at a time), then completes it. `onBytes` is told
 * of each part as it lands.
 */
export async function continueUpload(t: UploadTarget, r: ResumableUpload, opts: { concurrency: number; onBytes: (n: number) => void }): Promise<void> {
  const count = partCount(t.size, t.partSize);
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((n) => !r.parts.has(n));
  const worker = async () => {
    for (let n = missing.shift(); n !== undefined; n = missing.shift()) {
      t.cx.signal?.throwIfAborted();
      const { start, length } = partRange(n, t.size, t.partSize);
      const body = await readRange(t.path, start, length);
      const res = await awsCall(t.cx, "s3:PutObject", (o) =>
        t.s3.send(
          new UploadPartCommand({ Bucket: t.bucket, Key: t.key, UploadId: r.uploadId, PartNumber: n, Body: body, ContentLength: length, ChecksumAlgorithm: "SHA256" }),
          o,
        ),
      );
      r.parts.set(n, { PartNumber: n, ETag: res.ETag, ChecksumSHA256: res.ChecksumSHA256 ?? partDigests(body).sha256Base64 });
      opts.onBytes(length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
  const Parts = [...r.parts.values()].sort((a, b) => a.PartNumber! - b.PartNumber!);
  await awsCall(t.cx, "s3:PutObject", (o) =>
    t.s3.send(new CompleteMultipartUploadCommand({ Bucket: t.bucket, Key: t.key, UploadId: r.uploadId, MultipartUpload: { Parts } }), o),
  );
}
