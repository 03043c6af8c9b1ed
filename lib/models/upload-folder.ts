import "server-only";
// Models from a folder on the console's machine to the bucket, with @aws-sdk/lib-storage multipart uploads.
//
// - Skip if present: an object with the same size and the same SHA-256 (`x-amz-meta-sha256`, or S3's own
//   full-object SHA-256) is left alone, so a second run uploads nothing.
// - Checksums: the file's SHA-256 goes into the object's metadata; every part (and single PUT) carries its own
//   SHA-256, which S3 verifies on arrival.
// - Resume: an interrupted upload (killed process, network failure, cancel) leaves its parts in the bucket
//   (`leavePartsOnError`); the next run finds them (ListMultipartUploads, ListParts), keeps the parts that are
//   this file's bytes and uploads only the rest (./resume). Files already complete are skipped. No local state.
// - Progress: files and bytes, reported as parts land. Cancel: an AbortSignal.
import { HeadObjectCommand, type HeadObjectCommandOutput, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import fs from "node:fs";
import { awsCall, awsFind, type AwsCallContext } from "@/lib/aws/call";
import { awsClients } from "@/lib/aws/clients";
import { s3BucketNameSchema } from "@/lib/config/aws-names";
import { SHA256_METADATA_KEY } from "@/lib/k8s/copy-job";
import { DEFAULT_PART_SIZE, fileSha256, hexToBase64, partSizeFor } from "./checksums";
import { listUploadFiles, type FolderLayout, type LocalFile } from "./folder";
import { continueUpload, findResumableUpload, type UploadTarget } from "./resume";

export interface UploadFolderOptions {
  folder: string;
  bucket: string;
  region: string;
  /** Prepended to every key (REMOTE_STORAGE_PATH + "/" when the model service sets it). */
  keyPrefix?: string;
  layout?: FolderLayout;
  /** The shared client for the region when omitted. */
  s3?: S3Client;
  /** Part size (bytes, at least 5 MiB); grown for files that would need more than 10,000 parts. */
  partSize?: number;
  /** Parts in flight per file. */
  queueSize?: number;
  /** Files in flight. */
  fileConcurrency?: number;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
  /** For AccessDenied messages. */
  callerArn?: string;
}

export interface UploadProgress {
  filesTotal: number;
  /** Uploaded, resumed or skipped. */
  filesDone: number;
  filesUploaded: number;
  filesResumed: number;
  filesSkipped: number;
  bytesTotal: number;
  /** Bytes of finished files plus the parts of unfinished ones already in the bucket. */
  bytesDone: number;
  /** Keys in flight. */
  current: string[];
}

export type FileOutcome = "uploaded" | "resumed" | "skipped";

export interface UploadResult extends UploadProgress {
  files: { key: string; size: number; sha256: string; outcome: FileOutcome }[];
}

/** The IAM the console's identity needs on the bucket for this upload (s3:ListBucket makes a missing object a 404, not a 403). */
export const MODEL_UPLOAD_IAM_ACTIONS = {
  bucket: ["s3:ListBucket", "s3:ListBucketMultipartUploads"],
  objects: ["s3:GetObject", "s3:PutObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"],
} as const;

/** Same bytes already in the bucket: same size, and the same SHA-256 in our metadata or as S3's full-object checksum. */
export function sameObject(head: HeadObjectCommandOutput, size: number, sha256Hex: string): boolean {
  if (head.ContentLength !== size) return false;
  if (head.Metadata?.[SHA256_METADATA_KEY] === sha256Hex) return true;
  const s3Sha = head.ChecksumSHA256;
  return !!s3Sha && head.ChecksumType !== "COMPOSITE" && !s3Sha.includes("-") && s3Sha === hexToBase64(sha256Hex);
}

function validate(opts: UploadFolderOptions) {
  const bucket = s3BucketNameSchema.safeParse(opts.bucket);
  if (!bucket.success) throw new Error(`bucket ${bucket.error.issues[0].message}`);
  if (opts.keyPrefix && (opts.keyPrefix.startsWith("/") || !opts.keyPrefix.endsWith("/")))
    throw new Error(`keyPrefix must not start with "/" and must end with "/" (got "${opts.keyPrefix}")`);
  if (opts.partSize !== undefined && (!Number.isInteger(opts.partSize) || opts.partSize < 5 * 1024 * 1024))
    throw new Error("partSize must be a whole number of bytes, at least 5 MiB (S3's minimum part size)");
}

export async function uploadFolder(opts: UploadFolderOptions): Promise<UploadResult> {
  validate(opts);
  opts.signal?.throwIfAborted();
  const s3 = opts.s3 ?? awsClients(opts.region).s3;
  const cx: AwsCallContext = { signal: opts.signal, callerArn: opts.callerArn };
  const files = await listUploadFiles(opts.folder, opts.layout ?? "models");

  const progress: UploadProgress = {
    filesTotal: files.length,
    filesDone: 0,
    filesUploaded: 0,
    filesResumed: 0,
    filesSkipped: 0,
    bytesTotal: files.reduce((n, f) => n + f.size, 0),
    bytesDone: 0,
    current: [],
  };
  let finishedBytes = 0;
  const inFlight = new Map<string, number>();
  const report = () => {
    progress.bytesDone = finishedBytes + [...inFlight.values()].reduce((a, b) => a + b, 0);
    progress.current = [...inFlight.keys()];
    opts.onProgress?.({ ...progress, current: [...progress.current] });
  };
  report();

  const results: UploadResult["files"] = [];
  const queue = [...files];
  let failure: unknown = null;
  const worker = async () => {
    for (let f = queue.shift(); f && !failure; f = queue.shift()) {
      const key = `${opts.keyPrefix ?? ""}${f.relative}`;
      inFlight.set(key, 0);
      report();
      try {
        const done = await uploadOne(s3, cx, opts, f, key, (bytes) => {
          inFlight.set(key, bytes);
          report();
        });
        results.push({ key, size: f.size, sha256: done.sha256, outcome: done.outcome });
        finishedBytes += f.size;
        progress.filesDone++;
        progress[done.outcome === "uploaded" ? "filesUploaded" : done.outcome === "resumed" ? "filesResumed" : "filesSkipped"]++;
      } catch (err) {
        failure ??= err;
      } finally {
        inFlight.delete(key);
        report();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.fileConcurrency ?? 2) }, worker));
  if (failure) throw failure;
  return { ...progress, current: [], files: results.sort((a, b) => (a.key < b.key ? -1 : 1)) };
}

async function head(s3: S3Client, cx: AwsCallContext, bucket: string, key: string) {
  return awsFind(cx, "s3:GetObject", (o) => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }), o));
}

async function uploadOne(
  s3: S3Client,
  cx: AwsCallContext,
  opts: UploadFolderOptions,
  f: LocalFile,
  key: string,
  onBytes: (bytesOfThisFile: number) => void,
): Promise<{ sha256: string; outcome: FileOutcome }> {
  const sha256 = await fileSha256(f.path, cx.signal);
  const existing = await head(s3, cx, opts.bucket, key);
  if (existing && sameObject(existing, f.size, sha256)) return { sha256, outcome: "skipped" };

  const partSize = partSizeFor(f.size, opts.partSize ?? DEFAULT_PART_SIZE);
  if (f.size > partSize) {
    const target: UploadTarget = { s3, cx, bucket: opts.bucket, key, path: f.path, size: f.size, partSize };
    const resumable = await findResumableUpload(target);
    if (resumable) {
      let bytes = [...resumable.parts.values()].reduce((n, p) => n + Math.min(partSize, f.size - (p.PartNumber! - 1) * partSize), 0);
      onBytes(bytes);
      await continueUpload(target, resumable, { concurrency: opts.queueSize ?? 4, onBytes: (n) => onBytes((bytes += n)) });
      // The metadata was set when the interrupted run began: if the file changed since, start over.
      const after = await head(s3, cx, opts.bucket, key);
      if (after && sameObject(after, f.size, sha256)) return { sha256, outcome: "resumed" };
    }
  }
  await freshUpload(s3, cx, opts, f, key, sha256, partSize, onBytes);
  return { sha256, outcome: "uploaded" };
}

async function freshUpload(
  s3: S3Client,
  cx: AwsCallContext,
  opts: UploadFolderOptions,
  f: LocalFile,
  key: string,
  sha256: string,
  partSize: number,
  onBytes: (n: number) => void,
): Promise<void> {
  const abortController = new AbortController();
  const onAbort = () => abortController.abort();
  cx.signal?.addEventListener("abort", onAbort, { once: true });
  const upload = new Upload({
    client: s3,
    params: {
      Bucket: opts.bucket,
      Key: key,
      Body: fs.createReadStream(f.path),
      ContentLength: f.size,
      Metadata: { [SHA256_METADATA_KEY]: sha256 },
      ChecksumAlgorithm: "SHA256",
    },
    partSize,
    queueSize: opts.queueSize ?? 4,
    // Parts of an interrupted upload stay in the bucket for the next run to resume.
    leavePartsOnError: true,
    abortController,
  });
  upload.on("httpUploadProgress", (p) => onBytes(Math.min(p.loaded ?? 0, f.size)));
  try {
    await awsCall(cx, "s3:PutObject", () => upload.done());
  } catch (err) {
    // lib-storage rejects with its own "Upload aborted."; the caller's reason says who stopped it.
    throw cx.signal?.aborted ? (cx.signal.reason ?? err) : err;
  } finally {
    cx.signal?.removeEventListener("abort", onAbort);
  }
}
