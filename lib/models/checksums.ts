// Checksums for the model upload. The whole file's SHA-256 (hex) goes into the object's `x-amz-meta-sha256`, the
// same field the in-cluster copy job writes and compares, so either can skip what the other uploaded. Each part
// is also sent with its SHA-256, which S3 checks on arrival and lists back (ListParts), so a resumed upload can
// prove the parts already there are this file's bytes.
import { createHash } from "node:crypto";
import fs from "node:fs";

/** S3's floor and the part count it allows. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PARTS = 10_000;
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

/**
 * The part size for a file: the configured size, or larger (whole MiB) when the file would need more than 10,000
 * parts. A function of the size only, so a resumed run cuts the file exactly as the interrupted one did.
 */
export function partSizeFor(fileSize: number, configured = DEFAULT_PART_SIZE): number {
  const needed = Math.ceil(fileSize / MAX_PARTS);
  const size = Math.max(configured, MIN_PART_SIZE, needed);
  return Math.ceil(size / (1024 * 1024)) * 1024 * 1024;
}

export function partCount(fileSize: number, partSize: number): number {
  return Math.max(1, Math.ceil(fileSize / partSize));
}

/** Byte range of part `n` (1-based). */
export function partRange(n: number, fileSize: number, partSize: number): { start: number; length: number } {
  const start = (n - 1) * partSize;
  return { start, length: Math.max(0, Math.min(partSize, fileSize - start)) };
}

export async function fileSha256(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(path, { signal, highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Reads `length` bytes at `start` (a part's body). */
export async function readRange(path: string, start: number, length: number): Promise<Buffer> {
  const fh = await fs.promises.open(path, "r");
  try {
    const buf = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await fh.read(buf, read, length - read, start + read);
      if (bytesRead === 0) throw new Error(`${path} is shorter than expected (changed while uploading?)`);
      read += bytesRead;
    }
    return buf;
  } finally {
    await fh.close();
  }
}

/** A part's checksums as S3 reports them: SHA-256 in base64, and its ETag (the MD5, hex, in quotes). */
export function partDigests(body: Buffer): { sha256Base64: string; etag: string } {
  return {
    sha256Base64: createHash("sha256").update(body).digest("base64"),
    etag: `"${createHash("md5").update(body).digest("hex")}"`,
  };
}

export function hexToBase64(hex: string): string {
  return Buffer.from(hex, "hex").toString("base64");
}
