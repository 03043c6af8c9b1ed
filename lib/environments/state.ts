// The state an environment shows in lists, and the one naming rule that asks for an extra confirmation.
import type { EnvironmentRecord } from "./store";

export type EnvironmentState = "draft" | "planned" | "applying" | "done" | "failed" | "interrupted" | "cancelled";

/** From the newest apply run, else whether the wizard is finished. */
export function stateOf(env: Pick<EnvironmentRecord, "settings">, lastApply: { status: string } | null | undefined): EnvironmentState {
  switch (lastApply?.status) {
    case "queued":
    case "running":
      return "applying";
    case "succeeded":
      return "done";
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
