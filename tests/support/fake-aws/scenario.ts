// How the browser tests steer the double in the server process: a scenario file they rewrite, and a state file
// the double keeps beside it, so the account outlives a SIGKILL of the server and every process that preloads
// the double (a restarted server) sees the same account.
//
// Scenario (JSON, read fresh on every call; a missing or empty file is {}):
//   reset      "<id>"                          a new id puts the account back to its initial state
//   failOnce   { "<Command>": "<code>" }       the next call fails once with that code; remembered per
//   failOnceId "<any string>"                  failOnceId, so writing a new id arms it again
//   failAlways { "<Command>": "<code>" }       every call fails while present
//   throttle   { "<Command>": <n> }            the next n calls are throttled (per failOnceId, like failOnce)
//   delayMs    { "<Command>": 800, "*": 0 }    wait before answering (a cancelled call stops waiting)
//   answerDelayMs { "<Command>": 50, "*": 0 }  wait after the service acted, before answering: the answer in
//                                              flight (a kill then leaves a change made that the caller never heard of)
//   dbPending  { "DBInstanceClass": "…" }      with a reset: studio-db starts with these pending modifications
// Commands are SDK command names without `Command` (`PutBucketVersioning`). Codes are wire codes, or
// `AccessDenied` / `Throttle` / `ServerError` for the service's own refusal, throttling or HTTP 500 (faults.ts).
import fs from "node:fs";
import type { Fault } from "./faults";
import type { AccountState } from "./state";

export interface Scenario {
  reset?: string;
  failOnce?: Record<string, string>;
  failOnceId?: string;
  failAlways?: Record<string, string>;
  throttle?: Record<string, number>;
  delayMs?: Record<string, number>;
  answerDelayMs?: Record<string, number>;
  dbPending?: Record<string, unknown>;
}

/** What the double decides when a call arrives, before it answers. */
export interface Arrival {
  delayMs: number;
  /** Wait after the service acted, before answering. */
  answerDelayMs?: number;
  fault?: Fault;
}

/** A source of steering besides the unit tests' own calls (the browser tests' scenario file). */
export interface Steering {
  /** A call arrived: apply a reset, count down one-shot faults, say how long to wait and what to fail with. */
  arrive(command: string): Arrival;
  /** Take the account another process may have written since. */
  load(): void;
  /** Write the account when it changed (write-then-rename: a SIGKILL never leaves half a file). */
  save(): void;
}

interface Persisted {
  account: AccountState;
  lastReset: string | null;
  /** `<failOnceId>\0<Command>` of failOnce faults already answered. */
  fired: string[];
  /** `<failOnceId>\0<Command>` → throttled calls already answered. */
  throttled: Record<string, number>;
}

/** Where the state is kept: `E2E_AWS_STATE`, else beside the scenario file. */
export function stateFileFor(scenarioFile: string | undefined): string | undefined {
  return process.env.E2E_AWS_STATE || (scenarioFile ? `${scenarioFile}.state.json` : undefined);
}

export class ScenarioFile implements Steering {
  private persisted: Persisted;
  private text = "";
  private lastGood: Scenario = {};

  constructor(
    private readonly holder: { state: AccountState },
    private readonly scenarioFile: string | undefined,
    private readonly stateFile: string | undefined,
    private readonly fresh: () => AccountState,
  ) {
    this.persisted = { account: holder.state, lastReset: null, fired: [], throttled: {} };
    this.load();
  }

  /** The scenario as last written; a file caught half-way through a rewrite counts as the one before. */
  scenario(): Scenario {
    if (!this.scenarioFile) return {};
    let text: string;
    try {
      text = fs.readFileSync(this.scenarioFile, "utf8").trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw err;
    }
    if (!text) return {};
    try {
      this.lastGood = JSON.parse(text) as Scenario;
    } catch {
      // Keep what was there before.
    }
    return this.lastGood;
  }

  arrive(command: string): Arrival {
    const s = this.scenario();
    this.load();
    const p = this.persisted;
    if (s.reset !== undefined && s.reset !== p.lastReset) {
      p.account = this.fresh();
      for (const r of Object.values(p.account.regions)) if (s.dbPending && r.instances["studio-db"]) r.instances["studio-db"].pending = { ...s.dbPending };
      this.holder.state = p.account;
      p.lastReset = s.reset;
    }
    const positive = (ms: number | undefined) => (ms !== undefined && Number.isFinite(ms) && ms > 0 ? ms : 0);
    const delayMs = positive(s.delayMs?.[command] ?? s.delayMs?.["*"]);
    const answerDelayMs = positive(s.answerDelayMs?.[command] ?? s.answerDelayMs?.["*"]);
    const key = `${s.failOnceId ?? ""}\u0000${command}`;
    let fault: Fault | undefined;
    const always = s.failAlways?.[command];
    const once = s.failOnce?.[command];
    const throttles = s.throttle?.[command] ?? 0;
    if (always) fault = { code: always, remaining: Infinity };
    else if (once && !p.fired.includes(key)) {
      p.fired.push(key);
      fault = { code: once, remaining: 1 };
    } else if ((p.throttled[key] ?? 0) < throttles) {
      p.throttled[key] = (p.throttled[key] ?? 0) + 1;
      fault = { code: "Throttle", remaining: 1 };
    }
    this.save();
    return { delayMs, answerDelayMs, fault };
  }

  load(): void {
    if (!this.stateFile) return;
    let now = "";
    try {
      now = fs.readFileSync(this.stateFile, "utf8");
    } catch {
      // No file yet: the account as it starts.
    }
    if (!now || now === this.text) return;
    try {
      this.persisted = JSON.parse(now) as Persisted;
      this.holder.state = this.persisted.account;
      this.text = now;
    } catch {
      // A torn file cannot happen (rename); an unreadable one is ignored and overwritten.
    }
  }

  save(): void {
    if (!this.stateFile) return;
    this.persisted.account = this.holder.state;
    const next = JSON.stringify(this.persisted);
    if (next === this.text) return;
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, next);
    fs.renameSync(tmp, this.stateFile);
    this.text = next;
  }
}
