// Benchmark: MB/s of the model upload from a folder (lib/models/upload-folder) against AWS_ENDPOINT_URL (an
// emulator on this machine, or a remote endpoint with ALLOW_REMOTE_AWS=1). Prints figures; decides nothing.
//   npx tsx bench/model-copy.ts     BENCH_FILES=8 BENCH_FILE_MB=32 BENCH_PART_MB=8 BENCH_FILE_CONCURRENCY=2 BENCH_QUEUE=4
import { underReactServer } from "./react-server";

if (!process.env.AWS_ENDPOINT_URL) {
  console.log("bench/model-copy: AWS_ENDPOINT_URL is not set; point it at an AWS-compatible endpoint to measure the upload.");
  process.exit(0);
}

underReactServer(import.meta.url);

await import("./model-copy-run");
