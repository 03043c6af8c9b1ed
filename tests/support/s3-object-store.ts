/* eslint-disable @typescript-eslint/no-explicit-any -- the double answers the SDK's untyped command inputs */
// An S3 object store behind aws-sdk-client-mock, for the model upload: objects with metadata and SHA-256
// checksums, multipart uploads with parts (assembled on completion, checked against the listed checksums), and
// the listings a resumed run reads. Each answer is settled when `send` is called, so an abort triggered from a
// hook lands between two calls, never inside one. (The account-level fake in ./fake-aws.ts stays the double for the steps.)
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  NotFound,
  NoSuchUpload,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { mockClient, type AwsStub } from "aws-sdk-client-mock";
import { createHash } from "node:crypto";

export interface StoredObject {
  body: Buffer;
  metadata: Record<string, string>;
  checksumSHA256?: string;
  checksumType?: "FULL_OBJECT" | "COMPOSITE";
}

interface StoredPart {
  body: Buffer;
  etag: string;
  checksumSHA256?: string;
}

interface OpenUpload {
  key: string;
  metadata: Record<string, string>;
  checksumAlgorithm?: string;
  initiated: Date;
  parts: Map<number, StoredPart>;
}

const sha256b64 = (b: Buffer) => createHash("sha256").update(b).digest("base64");
const md5etag = (b: Buffer) => `"${createHash("md5").update(b).digest("hex")}"`;

function bytesOf(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === "string") return Buffer.from(body);
  throw new Error(`S3 object store double: unsupported body ${Object.prototype.toString.call(body)}`);
}

export class S3ObjectStore {
  readonly objects = new Map<string, StoredObject>();
  readonly uploads = new Map<string, OpenUpload>();
  readonly log: { command: string; input: any }[] = [];
  private mock: AwsStub<any, any, any> | null = null;
  private seq = 0;
  private clock = Date.parse("2026-06-01T00:00:00Z");
  private readonly hooks: ((command: string, input: any) => void)[] = [];
  /** Command name → error to throw on its next calls (then the real answer). */
  private readonly failures = new Map<string, { times: number; error: () => Error }>();
  /** Whether ListParts reports part checksums (some S3-compatible endpoints do not). */
  listsPartChecksums = true;

  constructor(readonly bucket: string) {}

  install(): this {
    const m = mockClient(S3Client);
    // The answer is computed when `send` is called; `send` returns a promise of it, as the SDK does.
    const on = (Command: any, name: string, fn: (i: any) => object) =>
      m.on(Command).callsFake((input: any) => {
        try {
          return Promise.resolve(this.answer(name, input, fn));
        } catch (err) {
          return Promise.reject(err);
        }
      });
    on(HeadObjectCommand, "HeadObject", (i) => this.headObject(i));
    on(PutObjectCommand, "PutObject", (i) => this.putObject(i));
    on(CreateMultipartUploadCommand, "CreateMultipartUpload", (i) => this.createUpload(i));
    on(UploadPartCommand, "UploadPart", (i) => this.uploadPart(i));
    on(CompleteMultipartUploadCommand, "CompleteMultipartUpload", (i) => this.complete(i));
    on(AbortMultipartUploadCommand, "AbortMultipartUpload", (i) => this.abort(i));
    on(ListMultipartUploadsCommand, "ListMultipartUploads", (i) => this.listUploads(i));
    on(ListPartsCommand, "ListParts", (i) => this.listParts(i));
    on(ListObjectsV2Command, "ListObjectsV2", (i) => this.listObjects(i));
    this.mock = m;
    return this;
  }

  restore() {
    this.mock?.restore();
    this.mock = null;
  }

  /** Runs before every command is answered (tests abort a run from here). */
  onCommand(fn: (command: string, input: any) => void) {
    this.hooks.push(fn);
  }

  failNext(command: string, error: () => Error, times = 1) {
    this.failures.set(command, { times, error });
  }

  calls(command?: string) {
    return command ? this.log.filter((c) => c.command === command) : [...this.log];
  }

  /** Puts an object as another writer would (the copy job, Rasa itself). */
  putDirect(key: string, body: Buffer, metadata: Record<string, string> = {}) {
    this.objects.set(key, { body, metadata, checksumSHA256: sha256b64(body), checksumType: "FULL_OBJECT" });
  }

  private meta(status = 200) {
    return { httpStatusCode: status, requestId: `s3-req-${++this.seq}`, attempts: 1, totalRetryDelay: 0 };
  }

  private answer(command: string, input: any, fn: (i: any) => object) {
    this.log.push({ command, input });
    for (const h of this.hooks) h(command, input);
    if (input.Bucket !== this.bucket) throw new S3ServiceException({ name: "NoSuchBucket", $fault: "client", $metadata: this.meta(404), message: "The specified bucket does not exist" });
    const f = this.failures.get(command);
    if (f && f.times > 0) {
      f.times--;
      throw f.error();
    }
    return { ...fn(input), $metadata: this.meta() };
  }

  private headObject(i: any) {
    const o = this.objects.get(i.Key);
    if (!o) throw new NotFound({ message: "NotFound", $metadata: this.meta(404) });
    return {
      ContentLength: o.body.length,
      ETag: md5etag(o.body),
      Metadata: { ...o.metadata },
      ...(i.ChecksumMode === "ENABLED" && o.checksumSHA256 ? { ChecksumSHA256: o.checksumSHA256, ChecksumType: o.checksumType } : {}),
    };
  }

  private putObject(i: any) {
    const body = bytesOf(i.Body);
    this.objects.set(i.Key, {
      body,
      metadata: { ...(i.Metadata ?? {}) },
      ...(i.ChecksumAlgorithm === "SHA256" ? { checksumSHA256: sha256b64(body), checksumType: "FULL_OBJECT" as const } : {}),
    });
    return { ETag: md5etag(body), ...(i.ChecksumAlgorithm === "SHA256" ? { ChecksumSHA256: sha256b64(body) } : {}) };
  }

  private createUpload(i: any) {
    const id = `upload-${++this.seq}`;
    this.uploads.set(id, { key: i.Key, metadata: { ...(i.Metadata ?? {}) }, checksumAlgorithm: i.ChecksumAlgorithm, initiated: new Date((this.clock += 1000)), parts: new Map() });
    return { Bucket: i.Bucket, Key: i.Key, UploadId: id };
  }

  private upload(i: any): OpenUpload {
    const u = this.uploads.get(i.UploadId);
    if (!u || u.key !== i.Key) throw new NoSuchUpload({ message: "The specified upload does not exist", $metadata: this.meta(404) });
    return u;
  }

  private uploadPart(i: any) {
    const u = this.upload(i);
    const body = bytesOf(i.Body);
    const part: StoredPart = { body, etag: md5etag(body), ...(u.checksumAlgorithm === "SHA256" || i.ChecksumAlgorithm === "SHA256" ? { checksumSHA256: sha256b64(body) } : {}) };
    u.parts.set(i.PartNumber, part);
    return { ETag: part.etag, ...(part.checksumSHA256 ? { ChecksumSHA256: part.checksumSHA256 } : {}) };
  }

  private complete(i: any) {
    const u = this.upload(i);
    const listed: any[] = i.MultipartUpload?.Parts ?? [];
    const bodies: Buffer[] = [];
    listed.forEach((p, idx) => {
      const stored = u.parts.get(p.PartNumber);
      if (!stored || stored.etag !== p.ETag || (idx > 0 && p.PartNumber <= listed[idx - 1].PartNumber))
        throw new S3ServiceException({ name: "InvalidPart", $fault: "client", $metadata: this.meta(400), message: `part ${p.PartNumber} is not as listed` });
      if (stored.checksumSHA256 && p.ChecksumSHA256 !== stored.checksumSHA256)
        throw new S3ServiceException({ name: "InvalidPart", $fault: "client", $metadata: this.meta(400), message: `part ${p.PartNumber} checksum does not match` });
      bodies.push(stored.body);
    });
    const body = Buffer.concat(bodies);
    const composite = u.checksumAlgorithm === "SHA256"
      ? `${createHash("sha256").update(Buffer.concat(listed.map((p) => Buffer.from(u.parts.get(p.PartNumber)!.checksumSHA256!, "base64")))).digest("base64")}-${listed.length}`
      : undefined;
    this.objects.set(u.key, { body, metadata: u.metadata, checksumSHA256: composite, checksumType: composite ? "COMPOSITE" : undefined });
    this.uploads.delete(i.UploadId);
    return { Bucket: i.Bucket, Key: u.key, ETag: `"composite-${listed.length}"` };
  }

  private abort(i: any) {
    this.upload(i);
    this.uploads.delete(i.UploadId);
    return {};
  }

  private listUploads(i: any) {
    const Uploads = [...this.uploads.entries()]
      .filter(([, u]) => u.key.startsWith(i.Prefix ?? ""))
      .map(([UploadId, u]) => ({ Key: u.key, UploadId, Initiated: u.initiated }));
    return { Uploads, IsTruncated: false };
  }

  /** Pages of `MaxKeys` (default 1000); with a `/` delimiter, keys below a further `/` are left out. */
  private listObjects(i: any) {
    const keys = [...this.objects.keys()]
      .filter((k) => k.startsWith(i.Prefix ?? "") && !(i.Delimiter === "/" && k.slice((i.Prefix ?? "").length).includes("/")))
      .sort();
    const start = i.ContinuationToken ? Number(i.ContinuationToken) : 0;
    const max = i.MaxKeys ?? 1000;
    const page = keys.slice(start, start + max);
    const more = start + max < keys.length;
    return {
      Contents: page.map((Key) => ({ Key, Size: this.objects.get(Key)!.body.length })),
      KeyCount: page.length,
      IsTruncated: more,
      ...(more ? { NextContinuationToken: String(start + max) } : {}),
    };
  }

  private listParts(i: any) {
    const u = this.upload(i);
    const Parts = [...u.parts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([PartNumber, p]) => ({ PartNumber, Size: p.body.length, ETag: p.etag, ...(this.listsPartChecksums && p.checksumSHA256 ? { ChecksumSHA256: p.checksumSHA256 } : {}) }));
    return { Parts, IsTruncated: false };
  }
}
