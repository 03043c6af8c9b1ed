// The run form's adopt confirmations: for every adopt row of the reviewed plan, the admin typed the resource's
// name in its field (lib/steps/adopt.ts names the field). Refused field by field, before any run starts.
import { adoptField, unconfirmedAdoptions } from "./adopt";
import type { PlanData } from "./plan";

export function adoptionsFromForm(
  plan: Pick<PlanData, "steps">,
  form: FormData,
): { ok: true; value: string[] } | { ok: false; errors: Record<string, string[]> } {
  const changes = plan.steps.flatMap((s) => s.changes);
  const wanted = unconfirmedAdoptions(changes, []);
  const typed = wanted.filter((a) => String(form.get(adoptField(a.name)) ?? "").trim() === a.name).map((a) => a.name);
  const missing = unconfirmedAdoptions(changes, typed);
  if (missing.length)
    return {
      ok: false,
      errors: Object.fromEntries(
        missing.map((m) => [m.field, [`must be "${m.name}" to adopt ${m.resource}, which the console did not create for this environment`]]),
      ),
    };
  return { ok: true, value: typed };
}
