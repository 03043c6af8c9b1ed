// Small builders shared by the steps: a change row with its defaults, and the one comparison of a planned change
// with a recomputed one (what the reviewed plan promised vs what a resumed run would do).
import { toPolicyJson } from "../policies/policy-json";
import type { Change, PlannedChange, StepKey } from "./types";

/** A change of `step`; `id` is prefixed with the step key so ids are unique across the plan. */
export function change(step: StepKey, id: string, c: Omit<Change, "id" | "step">): Change {
  return { id: `${step}:${id}`, step, ...c };
}

/** Pretty JSON with the stable key order every document of the console uses. */
export const json = (doc: unknown): string => toPolicyJson(doc);

/** Data only: what a saved plan stores and a page shows. */
export function planned(c: Change): PlannedChange {
  const { execute: _execute, cli: _cli, ...data } = c;
  return data;
}

/** The same change in the sense that matters for "what was reviewed is what runs": same id, same document. */
export function sameChange(a: Pick<PlannedChange, "id" | "document">, b: Pick<PlannedChange, "id" | "document">): boolean {
  return a.id === b.id && (a.document ?? "") === (b.document ?? "");
}

/** Changes that call AWS or run SQL when applied. */
export function isMutation(c: Pick<PlannedChange, "action">): boolean {
  return c.action === "create" || c.action === "update" || c.action === "adopt" || c.action === "delete";
}
