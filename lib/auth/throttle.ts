// Slows down password guessing. Each attempt is counted when it STARTS, before the slow password check, so a
// burst of parallel guesses cannot all be evaluated. Two limits: per (username, address), strict, so one
// client's failures never lock out the same user elsewhere or other users behind the same address; and per
// username across all addresses, looser, so changing address does not buy unlimited guesses. Past a limit each
// further attempt must wait, doubling up to a cap. Kept in memory (one console process owns the job store),
// swept as it goes and bounded in size.
export interface ThrottleOptions {
  /** Attempts one address may make for one username before it must wait. */
  perPair: number;
  /** Attempts for one username from all addresses together before every address must wait. */
  perUser: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts older than this are forgotten. */
  windowMs: number;
  /** At most this many records; beyond, the least recently used go first. */
  maxEntries: number;
}

const DEFAULTS: ThrottleOptions = {
  perPair: 5,
  perUser: 20,
  baseDelayMs: 2_000,
  maxDelayMs: 5 * 60_000,
  windowMs: 15 * 60_000,
  maxEntries: 10_000,
};

interface Entry {
  attempts: number;
  last: number;
  blockedUntil: number;
}

/** A started attempt; it already counts as a failure unless the caller reports otherwise. */
export interface ThrottleAttempt {
  /** The password was right: the (user, address) record starts over. */
  succeeded(): void;
  /** The attempt never got to check a password (the hashing was full): it does not count. */
  withdraw(): void;
}

export type ThrottleDecision = { ok: true; attempt: ThrottleAttempt } | { ok: false; retryAfterMs: number };

export class SignInThrottle {
  private entries = new Map<string, Entry>();
  private opts: ThrottleOptions;
  private lastSweep = 0;

  constructor(opts: Partial<ThrottleOptions> = {}) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  /** How many records are kept (for tests and monitoring). */
  get size(): number {
    return this.entries.size;
  }

  /** Starts an attempt, or says how long the caller must still wait. */
  begin(username: string, address: string, now = Date.now()): ThrottleDecision {
    this.sweep(now);
    const user = username.trim().toLowerCase();
    const keys: [string, number][] = [
      [`pair:${user}\u0000${address}`, this.opts.perPair],
      [`user:${user}`, this.opts.perUser],
    ];
    let wait = 0;
    for (const [key] of keys) {
      const e = this.live(key, now);
      if (e) wait = Math.max(wait, e.blockedUntil - now);
    }
    if (wait > 0) return { ok: false, retryAfterMs: wait };
    for (const [key, allowance] of keys) {
      const e = this.live(key, now) ?? { attempts: 0, last: now, blockedUntil: 0 };
      e.attempts += 1;
      e.last = now;
      const over = e.attempts - allowance;
      if (over >= 0) e.blockedUntil = now + Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** over);
      this.touch(key, e);
    }
    let settled = false;
    const undo = (key: string) => {
      const e = this.entries.get(key);
      if (!e) return;
      e.attempts = Math.max(0, e.attempts - 1);
      if (e.attempts < (key.startsWith("pair:") ? this.opts.perPair : this.opts.perUser)) e.blockedUntil = 0;
    };
    return {
      ok: true,
      attempt: {
        succeeded: () => {
          if (settled) return;
          settled = true;
          this.entries.delete(keys[0][0]);
          // The user's own success does not wipe what other addresses tried; it just is not a failure.
          undo(keys[1][0]);
        },
        withdraw: () => {
          if (settled) return;
          settled = true;
          for (const [key] of keys) undo(key);
        },
      },
    };
  }

  /** The record if it is still within the window. */
  private live(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e && now - e.last > this.opts.windowMs && now >= e.blockedUntil) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** Re-inserts so the map's order is least recently used first; evicts beyond the cap. */
  private touch(key: string, e: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, e);
    while (this.entries.size > this.opts.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /** Drops records past the window, at most once per window/10. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.opts.windowMs / 10) return;
    this.lastSweep = now;
    for (const [key, e] of this.entries) if (now - e.last > this.opts.windowMs && now >= e.blockedUntil) this.entries.delete(key);
  }
}
