// Slows down password guessing: after a few failures for the same username or the same address, each further
// attempt must wait, doubling each time up to a cap. Kept in memory: one console process owns the job store.
export interface ThrottleOptions {
  /** Failures allowed for one username before each further attempt must wait. */
  freeAttempts: number;
  /** Failures allowed from one address (across usernames): higher, since many people may share a proxy. */
  freeAttemptsPerAddress: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
}

const DEFAULTS: ThrottleOptions = { freeAttempts: 3, freeAttemptsPerAddress: 10, baseDelayMs: 2_000, maxDelayMs: 5 * 60_000, windowMs: 15 * 60_000 };

interface Entry {
  failures: number;
  last: number;
  blockedUntil: number;
}

export class SignInThrottle {
  private entries = new Map<string, Entry>();
  private opts: ThrottleOptions;
  constructor(opts: Partial<ThrottleOptions> = {}) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  private keys(username: string, address: string) {
    return [`user:${username.toLowerCase()}`, `addr:${address}`];
  }

  /** Milliseconds the caller must still wait before a new attempt (0 = may try now). */
  retryAfterMs(username: string, address: string, now = Date.now()): number {
    let wait = 0;
    for (const key of this.keys(username, address)) {
      const e = this.entries.get(key);
      if (!e) continue;
      if (now - e.last > this.opts.windowMs) {
        this.entries.delete(key);
        continue;
      }
      wait = Math.max(wait, e.blockedUntil - now);
    }
    return Math.max(0, wait);
  }

  recordFailure(username: string, address: string, now = Date.now()): void {
    for (const key of this.keys(username, address)) {
      const e = this.entries.get(key) ?? { failures: 0, last: now, blockedUntil: 0 };
      e.failures += 1;
      e.last = now;
      const free = key.startsWith("addr:") ? this.opts.freeAttemptsPerAddress : this.opts.freeAttempts;
      const over = e.failures - free;
      if (over >= 0) e.blockedUntil = now + Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** over);
      this.entries.set(key, e);
    }
  }

  /** A successful sign-in clears the username's record; the address keeps its record (it may be guessing others). */
  recordSuccess(username: string): void {
    this.entries.delete(`user:${username.toLowerCase()}`);
  }
}
