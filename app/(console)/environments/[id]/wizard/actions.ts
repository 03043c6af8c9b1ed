"use server";
// The wizard's saves: each page is validated with its schema and kept as a server-side draft (a reload resumes);
// the review page validates the whole and saves it as the environment's settings.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { audit, auditConnectionChanges, auditSettingsChanges } from "@/lib/audit";
import { adminAction, type ActionState } from "@/lib/auth/action";
import { environmentSettingsSchema, fieldErrors, WIZARD_STEPS } from "@/lib/config/environment";
import { parseWizardStep, type FormStep } from "@/lib/config/wizard-form";
import { getEnvironmentOrThrow, refreshPlan, saveDraft, saveSettings } from "@/lib/environments";
import { logger } from "@/lib/log";

function formValues(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form) if (typeof v === "string" && !k.startsWith("$")) out[k] = v;
  return out;
}

const formStepSchema = z.enum(["account", "database", "storage", "helm"]);

export const saveWizardStep = adminAction(
  "editing an environment",
  async (user, envId: string, stepArg: FormStep, _prev: ActionState, form: FormData) => {
    // Bound arguments travel through the client: check them like any other input.
    const step = formStepSchema.parse(stepArg);
    const env = await getEnvironmentOrThrow(envId);
    const parsed = parseWizardStep(step, form);
    if (!parsed.success)
      return { ok: false, message: "Some fields need attention.", errors: fieldErrors(parsed.error, parsed.input), values: formValues(form) };
    const data = parsed.data as Record<string, unknown>;
    if (step === "account" && data.name !== env.name)
      return { ok: false, errors: { name: ["cannot be changed after the environment is created"] }, values: formValues(form) };
    const next = WIZARD_STEPS[WIZARD_STEPS.indexOf(step) + 1];
    const reached = WIZARD_STEPS.indexOf(env.wizardStep as FormStep) > WIZARD_STEPS.indexOf(next) ? env.wizardStep : next;
    await saveDraft(env.id, { ...env.draft, ...data }, reached);
    await audit(user.username, "environment.draft-save", env.id, { page: step });
    redirect(`/environments/${env.id}/wizard/${next}`);
  },
);

export const finishWizard = adminAction("saving an environment", async (user, envId: string, _prev: ActionState) => {
  const env = await getEnvironmentOrThrow(envId);
  const parsed = environmentSettingsSchema.safeParse(env.draft);
  if (!parsed.success)
    return { ok: false, message: "The settings are not complete yet.", errors: fieldErrors(parsed.error, env.draft) };
  await saveSettings(env.id, parsed.data);
  await audit(user.username, "environment.save", env.id, { region: parsed.data.region, cluster: parsed.data.clusterName });
  // Where and how the admin password will travel: changes are audited with before and after.
  await auditConnectionChanges(user.username, env.id, env.settings, parsed.data);
  await auditSettingsChanges(user.username, env.id, env.settings as Record<string, unknown> | null, parsed.data);
  // "Save and review the plan" is itself a POST: compute the plan now. If the account cannot be read, the
  // settings are saved all the same and the plan page offers the refresh again.
  try {
    const plan = await refreshPlan({ id: env.id, settings: parsed.data }, user.username);
    await audit(user.username, "plan.refresh", env.id, { planId: plan.id, fingerprint: plan.fingerprint.slice(0, 12) });
  } catch (err) {
    logger.warn("plan after the wizard failed", { environmentId: env.id, error: (err as Error).message });
  }
  revalidatePath(`/environments/${env.id}`);
  redirect(`/environments/${env.id}/plan`);
});
