// A cap on open server-sent event streams per key (a session): each stream holds a connection, timers and a
// subscription for as long as it is open, so one browser session may hold only a few at once.
export class StreamLimiter {
  private open = new Map<string, number>();

  constructor(readonly maxPerKey: number) {}

  /** A release function for a new stream of `key`, or null when the key already holds its maximum. */
  acquire(key: string): (() => void) | null {
    const count = this.open.get(key) ?? 0;
    if (count >= this.maxPerKey) return null;
    this.open.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
    };
  }
}
