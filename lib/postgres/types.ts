// The few shapes lib/postgres shares with its callers. Defined here, not imported from lib/steps: imports point one
// way (steps use SQL, not the reverse), and these are structurally the same as the step engine's own.

export type LogLevel = "info" | "warn" | "error";

/** A read-back result: what was checked, whether it holds, and the facts behind the answer. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export type GrantLog = (level: LogLevel, message: string) => Promise<void> | void;
