// The benchmark proper (see bench/model-copy.ts): a folder of random models, a fresh upload, a second run that
// only checks (skip-if-present), and figures in MB/s.
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { awsClients } from "@/lib/aws/clients";
import { createBucketRequest } from "@/lib/aws/s3";
import { uploadFolder } from "@/lib/models/upload-folder";
import { assertSafeEndpoint } from "@/tests/aws-live/endpoint-guard";
import { report } from "./support/report";

const num = (name: string, fallback: number) => Math.max(1, Number(process.env[name] ?? fallback) || fallback);
const MiB = 1024 * 1024;
const files = num("BENCH_FILES", 8);
const fileMb = num("BENCH_FILE_MB", 32);
const partMb = Math.max(5, num("BENCH_PART_MB", 8));
const fileConcurrency = num("BENCH_FILE_CONCURRENCY", 2);
const queueSize = num("BENCH_QUEUE", 4);

const endpoint = process.env.AWS_ENDPOINT_URL!;
assertSafeEndpoint(endpoint);
const region = process.env.AWS_REGION || "eu-west-1";
const bucket = `studio-bench-models-${Date.now().toString(36)}`;
const s3 = awsClients(region).s3;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-models-"));
for (let i = 0; i < files; i++) fs.writeFileSync(path.join(dir, `bench-${String(i).padStart(4, "0")}.tar.gz`), randomBytes(fileMb * MiB));
await s3.send(new CreateBucketCommand(createBucketRequest(bucket, region)));

async function measure(label: string) {
  const t0 = performance.now();
  const r = await uploadFolder({ folder: dir, bucket, region, partSize: partMb * MiB, fileConcurrency, queueSize });
  const s = (performance.now() - t0) / 1000;
  const mb = r.bytesTotal / MiB;
  console.log(
    `${label.padEnd(22)} ${String(r.filesTotal).padStart(4)} files ${mb.toFixed(1).padStart(8)} MB ${s.toFixed(2).padStart(7)} s ` +
      `${(mb / s).toFixed(1).padStart(8)} MB/s  (uploaded ${r.filesUploaded}, skipped ${r.filesSkipped}, resumed ${r.filesResumed})`,
  );
  return { name: `${label}, ${files} × ${fileMb} MiB`, value: Number((mb / s).toFixed(1)), unit: "MB/s" };
}

try {
  console.log(`model upload against ${endpoint}: ${files} × ${fileMb} MiB, parts of ${partMb} MiB, ${fileConcurrency} files × ${queueSize} parts in flight`);
  report("model-copy", [await measure("fresh upload"), await measure("second run (all skip)")]);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
  for (;;) {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    if (!page.Contents?.length) break;
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: page.Contents.map((o) => ({ Key: o.Key! })) } }));
  }
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}
