// Small stand-ins for the real steps, on a small in-memory cloud, so the runner's tests do not depend on lib/steps
// or AWS: a fake step observes which of its resources exist (`observe`), plans a create for each one missing and
// `unchanged` for each one present (`changes`), and its change's `execute` records the call and creates the
// resource. No AWS SDK call anywhere: the runner makes AWS clients for the settings' region, the fakes never use them.
import type { Db } from "@/lib/db-client";
import { change, json } from "@/lib/steps/change";
import type { Change, ChangeResult, ExecuteContext, Facts, ObserveContext, Step, StepKey } from "@/lib/steps/types";
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

/** A promise that never settles: the process "dies" at this point (its execution never goes on). */
export const never = () => new Promise<never>(() => {});

/** An account in memory: resources by name, each with the ARN it was given when created. */
export class FakeCloud {
  private readonly arns = new Map<string, string>();
  /** Every create, by resource name, in order (a name twice is a duplicate create). */
  readonly created: string[] = [];
  /** Every read of a resource by an observe, by name. */
  readonly reads: string[] = [];
  private next = 1;

  create(name: string): string {
    this.created.push(name);
    const arn = `arn:fake:${name}:${this.next++}`;
    this.arns.set(name, arn);
    return arn;
  }

  read(name: string): string | null {
    this.reads.push(name);
    return this.arns.get(name) ?? null;
  }

  /** Someone else's hand, outside the console: a resource appears (a DBA ran the script, a colleague clicked). */
  put(name: string): string {
    const arn = `arn:fake:${name}:by-hand`;
    this.arns.set(name, arn);
    return arn;
  }

  /** Someone else deletes a resource. */
  remove(name: string): void {
    this.arns.delete(name);
  }
}

/** What a fake step observes: each of its resources' ARN, or null when missing (plain JSON, like real facts). */
export type FakeFacts = Record<string, string | null>;

/** One execute of a change, as the fake step saw it. */
export interface Call {
  step: StepKey;
  change: string;
  /** What this change's earlier attempt checkpointed. */
  previous?: Record<string, unknown>;
  /** The step keys whose facts the execute was given. */
  factKeys: string[];
}

export interface FakeStepOptions {
  dependsOn?: StepKey[];
  /** The steps whose facts its observe waits for (default none: reads do not follow the apply order). */
  readsAfter?: StepKey[];
  /** The resources the step owns, in the order it creates them (default: one, named after the step). */
  resources?: string[];
  appliesTo?: Step["appliesTo"];
  /** Runs inside observe, before the reads (a read that fails, one that looks at its dependencies' facts). */
  observe?: (ctx: ObserveContext) => Promise<void> | void;
  /**
   * Replaces a change's execute (default: `make()`). `make` creates the resource and returns what execute hands
   * back; a test awaits a gate before it, throws instead of it, or never returns after it (a crash).
   */
  execute?: (ctx: ExecuteContext, resource: string, make: () => Promise<ChangeResult>) => Promise<ChangeResult>;
}

/** The id of the change that creates `resource` in step `key` (ids are `<step>:<id>`). */
export const changeId = (key: StepKey, resource = key) => `${key}:${resource}`;

/** The resource column of a fake change, as logs and checks print it. */
export const resourceOf = (name: string) => `fake resource ${name}`;

/** A step over `cloud` that records every execute in `calls`. */
export function fakeStep(key: StepKey, cloud: FakeCloud, calls: Call[], options: FakeStepOptions = {}): Step<FakeFacts> {
  const resources = options.resources ?? [key];
  return {
    key,
    title: `Fake ${key}`,
    dependsOn: options.dependsOn ?? [],
    readsAfter: options.readsAfter,
    permissions: [],
    appliesTo: options.appliesTo,
    async observe(ctx) {
      await options.observe?.(ctx);
      return Object.fromEntries(resources.map((name) => [name, cloud.read(name)]));
    },
    changes(facts: Facts, settings): Change[] {
      const found = (facts[key] ?? {}) as FakeFacts;
      return resources.map((name) => {
        const arn = found[name] ?? null;
        const make = async (): Promise<ChangeResult> => {
          const created = cloud.create(name);
          return { output: { arn: created }, requestId: `req-${name}`, message: `created ${created}` };
        };
        return change(key, name, {
          action: arn ? "unchanged" : "create",
          call: "fake:Create",
          resource: resourceOf(name),
          reason: arn ? `exists as ${arn}` : "missing",
          document: json({ name, environment: settings.name }),
          language: "json",
          needs: [],
          execute: arn
            ? undefined
            : async (ctx) => {
                calls.push({ step: key, change: changeId(key, name), previous: ctx.previous, factKeys: Object.keys(ctx.facts).sort() });
                return options.execute ? options.execute(ctx, name, make) : make();
              },
        });
      });
    },
  };
}

export async function stepRows(db: Db, runId: string) {
  const rows = await db.stepRun.findMany({ where: { runId }, orderBy: { position: "asc" } });
  return Object.fromEntries(rows.map((r) => [r.key, r]));
}

/** A step row's stored progress (the runner's StepProgress: intent, done, results, partial, checks). */
export function storedProgress(row: { output: string | null }): Record<string, unknown> {
  return row.output ? (JSON.parse(row.output) as Record<string, unknown>) : {};
}
