// Counts the AWS calls made through the shared clients, with SDK middleware (one count per operation, however
// many HTTP attempts its retries took). Used by the benchmark and the live suite.
import type { AwsClients } from "./clients";

const NAME = "studioCallCounter";
const MUTATING = /^(Create|Put|Update|Add|Tag|Modify|Delete|Remove|Attach|Detach|Untag)/;

export interface AwsCallCount {
  service: keyof AwsClients;
  operation: string;
  /** performance.now() when the operation started and when it settled (all its retries included). */
  start: number;
  end?: number;
}

export class AwsCallCounter {
  readonly calls: AwsCallCount[] = [];

  /** Starts counting on these clients (replacing an earlier counter on them). */
  attach(clients: AwsClients): this {
    for (const [service, client] of Object.entries(clients) as [keyof AwsClients, AwsClients[keyof AwsClients]][]) {
      const stack = client.middlewareStack as unknown as {
        remove(name: string): boolean;
        add(mw: unknown, opts: { step: string; name: string; priority?: string }): void;
      };
      stack.remove(NAME);
      stack.add(
        (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
          const call: AwsCallCount = { service, operation: (context.commandName ?? "Unknown").replace(/Command$/, ""), start: performance.now() };
          this.calls.push(call);
          try {
            return await next(args);
          } finally {
            call.end = performance.now();
          }
        },
        { step: "initialize", name: NAME, priority: "high" },
      );
    }
    return this;
  }

  get total(): number {
    return this.calls.length;
  }

  mutating(): AwsCallCount[] {
    return this.calls.filter((c) => MUTATING.test(c.operation));
  }

  /** `{ "iam:GetRole": 4, … }`, sorted by name. */
  byOperation(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.calls) out[`${c.service}:${c.operation}`] = (out[`${c.service}:${c.operation}`] ?? 0) + 1;
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.calls.length = 0;
  }

  /**
   * The longest chain of calls that waited for each other: each call after one that had ended before it began.
   * With every call slowed alike, its length times the delay is the wall time no parallelism can beat.
   */
  criticalPath(): AwsCallCount[] {
    const done = this.calls.filter((c) => c.end !== undefined).sort((a, b) => a.start - b.start);
    const best = new Map<AwsCallCount, AwsCallCount[]>();
    for (const c of done) {
      let chain: AwsCallCount[] = [];
      for (const p of done) if (p.end! <= c.start && (best.get(p)?.length ?? 0) > chain.length) chain = best.get(p)!;
      best.set(c, [...chain, c]);
    }
    return [...best.values()].reduce<AwsCallCount[]>((a, b) => (b.length > a.length ? b : a), []);
  }
}
