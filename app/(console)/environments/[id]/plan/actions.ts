"use server";
// Apply (and verify) from the plan page. The DB admin password goes straight into the job service's memory;
// an environment named like production must be confirmed by typing its name.
import { redirect } from "next/navigation";
import { z } from "zod";
import { audit } from "@/lib/audit";
import { adminAction, type ActionState } from "@/lib/auth/action";
import { getEnvironmentOrThrow, looksLikeProduction, observedOf, settingsOf } from "@/lib/environments";
import { ActiveRunError } from "@/lib/jobs";
import { getJobService } from "@/lib/jobs/service";
import { secretsFromForm } from "@/lib/run-secrets";
import { buildPlan } from "@/lib/steps/plan";

const kindSchema = z.enum(["apply", "verify"]);
type Kind = z.infer<typeof kindSchema>;

export const startRunAction = adminAction("starting a run", async (user, envId: string, kindArg: Kind, _prev: ActionState, form: FormData) => {
  // Bound arguments travel through the client: check them like any other input.
  const kind = kindSchema.parse(kindArg);
  const env = await getEnvironmentOrThrow(envId);
  const settings = settingsOf(env);
  if (!settings) return { ok: false, message: "Finish the wizard first: the settings are not complete." };
  const secrets = secretsFromForm(form);
  if (!secrets.ok) return { ok: false, errors: secrets.errors };
  if (kind === "apply" && looksLikeProduction(env.name) && String(form.get("confirmName") ?? "").trim() !== env.name)
    return { ok: false, errors: { confirmName: [`must be "${env.name}" to apply to this environment`] } };
  const observed = observedOf(env);
  const plan = observed ? buildPlan(settings, observed) : undefined;
  let runId: string;
  try {
    ({ runId } = await getJobService().startRun({
      environmentId: env.id,
      kind,
      actor: user.username,
      secrets: secrets.value,
      plan,
    }));
  } catch (err) {
    if (err instanceof ActiveRunError) return { ok: false, message: err.message };
    throw err;
  }
  await audit(user.username, `run.${kind}`, env.id, { runId });
  redirect(`/runs/${runId}`);
});
