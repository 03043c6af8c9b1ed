// Benchmark: how long merging a pasted values.yaml takes as it grows, in the worst case for a line diff (every
// line changes when the console prints it), and the longest the event loop stalled meanwhile: run in the
// request's thread (mergeValues) and on the worker (mergeValuesOffThread, what the console does). Prints
// figures; decides nothing.   npx tsx bench/values-merge.ts
import { mergeValues, MAX_VALUES_LINES } from "../lib/helm";
import { mergeValuesOffThread } from "../lib/helm/merge-off-thread";
import { mergeWorkerFromSources } from "../tests/support/merge-worker";
import { report, type Figure } from "./support/report";

const settings = {
  region: "eu-west-1",
  namespace: "rasa",
  iamDbUser: "studio_iam_user",
  databaseName: "studio",
  identityMode: "irsa",
  bucketName: "studio-shared-storage-bench",
  chartProfile: "studio-2.x",
  backendServiceAccount: "studio-backend",
  eventIngestionServiceAccount: "studio-event-ingestion",
  migrationServiceAccount: "studio-database-migration",
  modelServiceAccount: "studio-model-service",
} as const;
const arns = { rdsRoleArn: "arn:aws:iam::123456789012:role/bench-rds", s3RoleArn: "arn:aws:iam::123456789012:role/bench-s3" };

// From the sources, the worker registers tsx itself.
mergeWorkerFromSources();

/** Runs `work` while measuring the longest gap between 5 ms timer ticks (the event loop's worst stall). */
async function measure(work: () => Promise<unknown>) {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 5);
  const start = performance.now();
  await work();
  const ms = performance.now() - start;
  clearInterval(timer);
  worst = Math.max(worst, performance.now() - last);
  return { ms: Math.round(ms), stall: Math.round(worst) };
}

const spaced = (n: number) => Array.from({ length: n }, (_, i) => `key${i}:    value${i}`).join("\n") + "\n";

const figures: Figure[] = [];
console.log("lines   in-thread ms (stall ms)   worker ms (stall ms)   diff shown");
for (const lines of [500, 2000, 5000, MAX_VALUES_LINES]) {
  const text = spaced(lines);
  let shown = false;
  const inThread = await measure(async () => {
    shown = mergeValues(text, settings, arns).diff !== null;
  });
  const offThread = await measure(() => mergeValuesOffThread(text, settings, arns));
  console.log(
    `${String(lines).padStart(5)}   ${String(inThread.ms).padStart(8)} (${inThread.stall})`.padEnd(33) +
      `${String(offThread.ms).padStart(8)} (${offThread.stall})`.padEnd(23) +
      (shown ? "yes" : "no (too large)"),
  );
  if (lines === MAX_VALUES_LINES)
    figures.push(
      { name: `merge of ${lines} lines on the worker`, value: offThread.ms, unit: "ms" },
      // What the console's other requests feel while the worker merges.
      { name: `event-loop stall meanwhile`, value: offThread.stall, unit: "ms" },
    );
}
report("values-merge", figures);
process.exit(0);
