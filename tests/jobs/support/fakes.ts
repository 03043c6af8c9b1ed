// Small stand-ins for the real steps: they record their calls, read before creating and checkpoint what they
// create, as the AWS steps do, so the runner's tests do not depend on lib/steps.
import type { Db } from "@/lib/db-client";
import type { Check, Step, StepContext, StepKey, StepOutput } from "@/lib/steps/types";
import { VALID_SETTINGS } from "@/tests/support/settings";

export async function createEnvironment(db: Db, name = "staging", settings: object = { ...VALID_SETTINGS, name }) {
  return db.environment.create({ data: { name, settings: JSON.stringify(settings) } });
}

export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Fails the test with a clear message instead of hanging when something that should happen never does. */
export function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

/** A cloud that only knows resources by the id it handed out (like an ARN): a step must remember it. */
export class FakeCloud {
  readonly resources = new Map<string, string>();
  createCalls = 0;
  private next = 1;

  create(name: string): string {
    this.createCalls++;
    const id = `arn:fake:${name}:${this.next++}`;
    this.resources.set(id, name);
    return id;
  }

  exists(id: unknown): id is string {
    return typeof id === "string" && this.resources.has(id);
  }
}

export type Call = { key: StepKey; method: "apply" | "verify"; previous?: StepOutput; outputs: StepContext["outputs"] };

export interface FakeStepOptions {
  dependsOn?: StepKey[];
  apply?: (ctx: StepContext) => Promise<StepOutput>;
  verify?: (ctx: StepContext) => Promise<Check[]>;
}

/** A step that records each call (with the outputs it was given) in `calls`. */
export function fakeStep(key: StepKey, calls: Call[], options: FakeStepOptions = {}): Step {
  return {
    key,
    title: `Fake ${key}`,
    dependsOn: options.dependsOn ?? [],
    plan: () => [],
    async apply(ctx) {
      calls.push({ key, method: "apply", previous: ctx.previous, outputs: ctx.outputs });
      return options.apply ? options.apply(ctx) : { done: key };
    },
    async verify(ctx) {
      calls.push({ key, method: "verify", previous: ctx.previous, outputs: ctx.outputs });
      return options.verify ? options.verify(ctx) : [{ name: `${key} exists`, ok: true, detail: "found" }];
    },
  };
}

/**
 * The shape of a real creating step: reuse what the checkpoint says was created (if it still exists),
 * otherwise create, checkpoint the id at once, then do the rest (`afterCreate`, where a test can hang).
 */
export function creatingStep(
  key: StepKey,
  calls: Call[],
  cloud: FakeCloud,
  options: { dependsOn?: StepKey[]; afterCreate?: (ctx: StepContext) => Promise<void> } = {},
): Step {
  return fakeStep(key, calls, {
    dependsOn: options.dependsOn,
    async apply(ctx) {
      let arn = ctx.previous?.arn;
      if (cloud.exists(arn)) {
        await ctx.log("info", `found ${arn} from the checkpoint`);
      } else {
        arn = cloud.create(key);
        await ctx.log("info", `created ${arn}`, `req-${key}-${cloud.createCalls}`);
        await ctx.checkpoint({ arn });
      }
      await options.afterCreate?.(ctx);
      return { arn };
    },
  });
}

export async function stepRows(db: Db, runId: string) {
  const rows = await db.stepRun.findMany({ where: { runId }, orderBy: { position: "asc" } });
  return Object.fromEntries(rows.map((r) => [r.key, r]));
}
