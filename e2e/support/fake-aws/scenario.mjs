// The scenario file the browser tests rewrite to steer the double, and the double's own state file beside it.
//
// Scenario (JSON, read fresh on every call; missing or empty file = {}):
//   failOnce   { "<Command without the Command suffix>": "<error code>" }  the next call fails once with that
//              code; remembered per `failOnceId`, so writing a new id arms it again
//   failOnceId "<any string>"
//   failAlways { "<Command>": "<error code>" }  every call fails while present
//   delayMs    { "<Command>": 800, "*": 0 }     wait before answering (a cancelled call stops waiting)
//   reset      "<id>"                         a new id puts the world back to its initial state
import fs from "node:fs";
import { initialWorld } from "./world.mjs";

/**
 * @typedef {{ failOnce?: Record<string, string>, failOnceId?: string, failAlways?: Record<string, string>,
 *   delayMs?: Record<string, number>, reset?: string }} Scenario
 * @typedef {{ world: import("./world.mjs").World, lastReset: string | null, failedOnce: string[] }} State
 */

let lastGood = /** @type {Scenario} */ ({});

/** @param {string | undefined} file @returns {Scenario} */
export function readScenario(file) {
  if (!file) return {};
  let text;
  try {
    text = fs.readFileSync(file, "utf8").trim();
  } catch (err) {
    if (/** @type {NodeJS.ErrnoException} */ (err).code === "ENOENT") return {};
    throw err;
  }
  if (!text) return {};
  try {
    lastGood = JSON.parse(text);
  } catch {
    // Caught the test half-way through rewriting the file: keep using what was there before.
  }
  return lastGood;
}

/**
 * Where the double keeps the world between server restarts: `E2E_AWS_STATE`, else beside the scenario file.
 * @param {string | undefined} scenarioFile
 */
export function stateFileFor(scenarioFile) {
  return process.env.E2E_AWS_STATE || (scenarioFile ? `${scenarioFile}.state.json` : undefined);
}

/**
 * The state in a file, so the world outlives a server restart and every process that preloads the double
 * sees the same account. Re-read when the file changed underneath (another process wrote it).
 * @param {string | undefined} file
 */
export function openStore(file) {
  /** @type {State | null} */
  let state = null;
  let text = "";
  const fresh = () => ({ world: initialWorld(), lastReset: null, failedOnce: [] });
  return {
    /** @returns {State} */
    load() {
      let now = "";
      try {
        if (file) now = fs.readFileSync(file, "utf8");
      } catch {
        // No file yet: the account as it starts.
      }
      if (!state || now !== text) {
        try {
          state = now ? JSON.parse(now) : fresh();
        } catch {
          state = fresh();
        }
        text = now;
      }
      return /** @type {State} */ (state);
    },
    /** Writes the state when it changed; write-then-rename so a SIGKILL never leaves half a file. */
    save() {
      if (!file || !state) return;
      const next = JSON.stringify(state);
      if (next === text) return;
      fs.writeFileSync(`${file}.tmp`, next);
      fs.renameSync(`${file}.tmp`, file);
      text = next;
    },
    /** Back to the initial account (tests of the double itself). */
    reset() {
      state = { ...fresh(), lastReset: state?.lastReset ?? null, failedOnce: state?.failedOnce ?? [] };
    },
  };
}

/**
 * What to do with one call: reset the world first if the scenario asks, then how long to wait and which
 * error (if any) to answer with. Marks a fired failOnce in `state`.
 * @param {Scenario} scenario @param {State} state @param {string} command
 * @returns {{ delayMs: number, error: string | null }}
 */
export function decide(scenario, state, command) {
  if (scenario.reset !== undefined && scenario.reset !== state.lastReset) {
    state.world = initialWorld();
    state.lastReset = scenario.reset;
  }
  const delay = scenario.delayMs?.[command] ?? scenario.delayMs?.["*"] ?? 0;
  const delayMs = Number.isFinite(delay) && delay > 0 ? delay : 0;
  const always = scenario.failAlways?.[command];
  if (always) return { delayMs, error: always };
  const once = scenario.failOnce?.[command];
  const key = `${scenario.failOnceId ?? ""}\u0000${command}`;
  if (once && !state.failedOnce.includes(key)) {
    state.failedOnce.push(key);
    return { delayMs, error: once };
  }
  return { delayMs, error: null };
}

/** Waits `ms`, or rejects with `onAbort()` as soon as `signal` fires. */
export function wait(ms, signal, onAbort) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(onAbort());
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve(undefined);
    }, ms);
    function stop() {
      clearTimeout(timer);
      reject(onAbort());
    }
    signal?.addEventListener("abort", stop, { once: true });
  });
}
