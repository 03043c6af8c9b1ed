// Starts lib/helm/merge-worker.ts from the TypeScript sources for tests: the worker registers tsx before
// loading it (Node 20 does not apply `--import` hooks to a worker's entry). The built server uses the bundler's
// JavaScript worker chunk instead (the default starter in lib/helm/merge-off-thread.ts).
import { Worker } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { setMergeWorkerStarter } from "@/lib/helm/merge-off-thread";

export function mergeWorkerFromSources(): void {
  const entry = pathToFileURL(path.resolve("lib/helm/merge-worker.ts")).href;
  const boot = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  setMergeWorkerStarter(() => new Worker(boot, { eval: true }));
}
