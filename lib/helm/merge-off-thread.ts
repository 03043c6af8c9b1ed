// mergeValues on a worker thread, so a large or hostile paste never blocks the event loop that serves
// /api/health, every page and the progress of running applies. One worker, merges one at a time, a short
// queue (beyond it the caller is told to try again), and a deadline after which the worker is replaced.
import { Worker } from "node:worker_threads";
import type { RoleArns, ValuesSettings } from "./apply-values";
import { ValuesLimitError, ValuesRefusedError, ValuesYamlError } from "./errors";
import type { MergeResult } from "./merge";
import type { ValuesContext } from "./safeguards";

export interface MergeRequest {
  id: number;
  existing: string;
  settings: ValuesSettings & { name?: string };
  arns: RoleArns;
  context: ValuesContext;
}

export type MergeReply =
  | { id: number; ok: true; result: MergeResult }
  | { id: number; ok: false; kind: "yaml"; message: string; line: number; column: number; path?: string }
  | { id: number; ok: false; kind: "refused"; message: string; reasons: Array<{ path: string; reason: string }> }
  | { id: number; ok: false; kind: "limit" | "other"; message: string };

/** A merge waits at most this long, queue included; then its worker is replaced. */
export const MERGE_DEADLINE_MS = 20_000;
const MAX_QUEUED = 4;

interface Task extends MergeRequest {
  resolve(result: MergeResult): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

let worker: Worker | null = null;
let current: Task | null = null;
const queue: Task[] = [];
let nextId = 1;

/**
 * How the worker is started. The default is the form the bundler recognises (Turbopack builds merge-worker.ts
 * into a worker chunk of its own); code running from the TypeScript sources (tests) passes its own.
 */
let startWorker: () => Worker = () => new Worker(new URL("./merge-worker.ts", import.meta.url));

export function setMergeWorkerStarter(start: () => Worker): void {
  startWorker = start;
}

function spawn(): Worker {
  const w = startWorker();
  w.unref();
  w.on("message", (reply: MergeReply) => settle(reply));
  w.on("error", (error) => fail(w, error));
  w.on("exit", (code) => fail(w, new Error(`the merge worker stopped (exit code ${code})`)));
  return w;
}

function settle(reply: MergeReply): void {
  const task = current;
  if (!task || task.id !== reply.id) return;
  clearTimeout(task.timer);
  current = null;
  if (reply.ok) task.resolve(reply.result);
  else if (reply.kind === "yaml") task.reject(Object.assign(new ValuesYamlError("", reply.line, reply.column, reply.path), { message: reply.message }));
  else if (reply.kind === "refused") task.reject(new ValuesRefusedError(reply.reasons));
  else if (reply.kind === "limit") task.reject(Object.assign(new ValuesLimitError(""), { message: reply.message }));
  else task.reject(new Error(reply.message));
  pump();
}

/** The worker died or was stopped: the merge it held fails, the queue moves on with a new worker. */
function fail(w: Worker, error: Error): void {
  if (worker !== w) return;
  worker = null;
  const task = current;
  current = null;
  if (task) {
    clearTimeout(task.timer);
    task.reject(error);
  }
  pump();
}

function pump(): void {
  if (current || queue.length === 0) return;
  current = queue.shift()!;
  worker ??= spawn();
  worker.ref();
  const { id, existing, settings, arns, context } = current;
  worker.postMessage({ id, existing, settings, arns, context } satisfies MergeRequest);
}

/** Merges `existing` with the console's values off the event loop; rejects like mergeValues does. */
export function mergeValuesOffThread(
  existing: string,
  settings: MergeRequest["settings"],
  arns: RoleArns,
  context: ValuesContext = {},
): Promise<MergeResult> {
  if (queue.length >= MAX_QUEUED)
    return Promise.reject(new ValuesLimitError("could not be merged now: the console is merging other files; try again in a moment", { busy: true }));
  return new Promise<MergeResult>((resolve, reject) => {
    const task: Task = { id: nextId++, existing, settings, arns, context, resolve, reject };
    task.timer = setTimeout(() => {
      const index = queue.indexOf(task);
      if (index >= 0) queue.splice(index, 1);
      if (current === task && worker) void worker.terminate(); // fail() rejects it and moves on
      reject(new ValuesLimitError(`took longer than ${MERGE_DEADLINE_MS / 1000} s to merge: it is too large or too unusual`));
    }, MERGE_DEADLINE_MS);
    task.timer.unref();
    queue.push(task);
    pump();
  }).finally(() => {
    if (!current && queue.length === 0) worker?.unref();
  });
}
