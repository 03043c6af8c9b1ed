import "server-only";
// The "model upload" run: the models in the folder the wizard names go to the bucket (./upload-folder: multipart,
// SHA-256 checked, skipped when already there, resumed after an interruption), with files and bytes on the run
// page's progress bar. A second run after an interruption picks up where the first stopped.
import type { S3Client } from "@aws-sdk/client-s3";
import type { Task, TaskContext } from "@/lib/jobs/tasks";
import { uploadFolder, type UploadProgress } from "./upload-folder";

/** At most this often to the job store: a few hundred small files finish faster than a page can show them. */
const PROGRESS_EVERY_MS = 500;

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export function describeUpload(p: Pick<UploadProgress, "filesDone" | "filesTotal" | "bytesDone" | "bytesTotal">): string {
  return `${p.filesDone} of ${p.filesTotal} files, ${mb(p.bytesDone)} of ${mb(p.bytesTotal)}`;
}

export function modelUploadTask(opts: { s3?: S3Client; partSize?: number } = {}): Task {
  return {
    kind: "model-upload",
    async run(ctx: TaskContext) {
      const s = ctx.settings;
      if (s.storageSituation !== "copy-from-pv" || s.modelCopySource !== "folder" || !s.modelFolder)
        throw new Error("modelFolder is not set: choose \"copy from volumes\" with a folder on the wizard's storage page");
      await ctx.log("info", `Uploading the models in ${s.modelFolder} to s3://${s.bucketName}/`);
      let last = 0;
      let pending: Promise<void> = Promise.resolve();
      const result = await uploadFolder({
        folder: s.modelFolder,
        bucket: s.bucketName,
        region: s.region,
        s3: opts.s3,
        partSize: opts.partSize,
        signal: ctx.signal,
        onProgress: (p) => {
          const now = Date.now();
          if (now - last < PROGRESS_EVERY_MS && p.filesDone < p.filesTotal) return;
          last = now;
          const fraction = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.filesTotal > 0 ? p.filesDone / p.filesTotal : 0;
          // Writes are chained so they land in order; the upload does not wait for them.
          pending = pending.then(() => ctx.progress(fraction)).catch(() => undefined);
        },
      });
      await pending;
      await ctx.progress(1);
      const summary = `${result.filesUploaded} uploaded, ${result.filesResumed} resumed, ${result.filesSkipped} already there (${describeUpload(result)})`;
      await ctx.log("info", summary);
      return {
        output: {
          folder: s.modelFolder,
          bucket: s.bucketName,
          filesTotal: result.filesTotal,
          filesUploaded: result.filesUploaded,
          filesResumed: result.filesResumed,
          filesSkipped: result.filesSkipped,
          bytesTotal: result.bytesTotal,
          summary,
        },
      };
    },
  };
}
