// The state an environment shows in lists, and the one naming rule that asks for an extra confirmation.
import type { EnvironmentRecord } from "./store";

export type EnvironmentState =
  | "draft"
  | "planned"
  | "applying"
  | "done"
  | "tearing down"
  | "torn down"
  | "failed"
  | "interrupted"
  | "cancelled";

/**
 * From the newest apply or teardown run (`kind` absent means apply), else whether the wizard is finished. A
 * teardown that succeeded after the last apply leaves nothing of the console's: "torn down", not "done".
 */
export function stateOf(env: Pick<EnvironmentRecord, "settings">, last: { status: string; kind?: string } | null | undefined): EnvironmentState {
  const teardown = last?.kind === "teardown";
  switch (last?.status) {
    case "queued":
    case "running":
      return teardown ? "tearing down" : "applying";
    case "succeeded":
      return teardown ? "torn down" : "done";
    case "failed":
      return "failed";
    case "interrupted":
      return "interrupted";
    case "cancelled":
      return "cancelled";
  }
  return env.settings ? "planned" : "draft";
}

/** Environments named like production get an extra confirmation before apply. */
export function looksLikeProduction(name: string): boolean {
  return /(^|[-_])(prod|production|prd|live)([-_]|$)/i.test(name);
}
