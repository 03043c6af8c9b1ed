// A cap on concurrent password hashing. scrypt at OWASP's parameters takes 128 MiB and a noticeable slice of a
// core per hash: unbounded, a burst of sign-ins (or guesses) could exhaust memory and starve everything else.
// A few run at once, a few more wait their turn, the rest are refused at once (the caller says "try again").
export class HashGateBusyError extends Error {
  constructor() {
    super("The console is checking many passwords at once: try again in a moment.");
    this.name = "HashGateBusyError";
  }
}

export class HashGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly maxConcurrent: number,
    private readonly maxWaiting: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxConcurrent) {
      if (this.waiting.length >= this.maxWaiting) throw new HashGateBusyError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next in line (the count stays), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

const g = globalThis as unknown as { __studioHashGate?: HashGate };
/** The process's gate: 2 hashes at once (256 MiB at most), 16 waiting. */
export const passwordGate = (g.__studioHashGate ??= new HashGate(2, 16));
