import "server-only";
// Verify = read everything again and check that the step's plan now says "unchanged" for each resource: the
// same comparison the plan and the apply use, so the three cannot disagree.
import type { Check, Step, StepContext } from "./types";
import { discoverEnvironment } from "./discover-environment";

export async function verifyByPlan(step: Pick<Step, "key" | "plan">, ctx: StepContext): Promise<Check[]> {
  const observed = await discoverEnvironment(ctx.env, { signal: ctx.signal });
  return step
    .plan(ctx.env, observed)
    .filter((c) => c.action !== "read")
    .map((c) => ({
      name: `${c.resource} (${c.call})`,
      ok: c.action === "unchanged",
      detail: c.action === "unchanged" ? "matches the plan" : `would still ${c.action}: ${c.reason ?? "differs from the plan"}`,
    }));
}
