"use server";
// The plan page's two POSTs: refresh the saved plan (reads AWS, writes a plan); apply the reviewed plan or verify.
// The DB admin password goes straight into the job service's memory; an environment named like production must be
// confirmed by typing its name.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { audit } from "@/lib/audit";
import { adminAction, type ActionState } from "@/lib/auth/action";
import { getEnvironmentOrThrow, latestPlanFor, looksLikeProduction, planRefusal, refreshPlan, takeRefreshSlot } from "@/lib/environments";
import { ActiveRunError } from "@/lib/jobs";
import { getJobService } from "@/lib/jobs/service";
import { secretsFromForm } from "@/lib/run-secrets";
import { adoptionsFromForm } from "@/lib/steps/adopt-form";
import { pendingToAcknowledge } from "@/lib/steps/rds-iam-auth";

export const refreshPlanAction = adminAction("refreshing a plan", async (user, envId: string, _prev: ActionState, form?: FormData) => {
  const env = await getEnvironmentOrThrow(envId);
  if (!env.settings) return { ok: false, message: "Finish the wizard first: the settings are not complete." };
  // With the DB admin's credentials (held for this request only) the plan reads the grants too.
  const secrets = secretsFromForm(form ?? new FormData(), { tlsOff: env.settings.dbTls === "disable" });
  if (!secrets.ok) return { ok: false, errors: secrets.errors };
  const slot = takeRefreshSlot(env.id);
  if (slot.waitSeconds) return { ok: false, message: `A plan of ${env.name} was refreshed just now: try again in ${slot.waitSeconds} s.` };
  try {
    const plan = await refreshPlan({ id: env.id, settings: env.settings }, user.username, { secrets: secrets.value });
    await audit(user.username, "plan.refresh", env.id, {
      planId: plan.id,
      fingerprint: plan.fingerprint.slice(0, 12),
      grantsRead: Boolean(secrets.value.dbAdminPassword),
    });
  } finally {
    slot.done();
  }
  revalidatePath(`/environments/${envId}/plan`);
  return { ok: true, message: "Plan refreshed: review it before applying." };
});

async function start(user: { username: string }, envId: string, kind: "apply" | "verify", form: FormData): Promise<ActionState> {
  const env = await getEnvironmentOrThrow(envId);
  if (!env.settings) return { ok: false, message: "Finish the wizard first: the settings are not complete." };
  const secrets = secretsFromForm(form, { tlsOff: env.settings.dbTls === "disable" });
  if (!secrets.ok) return { ok: false, errors: secrets.errors };
  let runId: string;
  try {
    if (kind === "apply") {
      if (looksLikeProduction(env.name) && String(form.get("confirmName") ?? "").trim() !== env.name)
        return { ok: false, errors: { confirmName: [`must be "${env.name}" to apply to this environment`] } };
      const planId = String(form.get("planId") ?? "");
      const latest = await latestPlanFor(env.id);
      if (!latest || latest.id !== planId) return { ok: false, message: "This is not the newest plan of the environment: review the newest one." };
      const refusal = planRefusal(latest, { settings: env.settings, latestPlanId: latest.id });
      if (refusal) return { ok: false, message: refusal };
      const adoptions = adoptionsFromForm(latest.plan, form);
      if (!adoptions.ok) return { ok: false, errors: adoptions.errors };
      ({ runId } = await getJobService().startRun({
        environmentId: env.id,
        kind,
        planId,
        actor: user.username,
        secrets: secrets.value,
        confirmedAdoptions: adoptions.value,
        // The pending list as the reviewed plan showed it; the run applies now only if RDS still has exactly that.
        applyPendingNow: form.get("acknowledgePendingModifications") === "on" ? (pendingToAcknowledge(latest.facts)?.names ?? []) : undefined,
      }));
      if (adoptions.value.length) await audit(user.username, "run.adopt", env.id, { runId, adopted: adoptions.value });
      if (form.get("acknowledgePendingModifications") === "on")
        await audit(user.username, "run.apply-pending-now", env.id, { runId, pending: pendingToAcknowledge(latest.facts)?.names ?? [] });
    } else {
      ({ runId } = await getJobService().startRun({ environmentId: env.id, kind, settings: env.settings, actor: user.username, secrets: secrets.value }));
    }
  } catch (err) {
    if (err instanceof ActiveRunError) return { ok: false, message: err.message };
    throw err;
  }
  await audit(user.username, `run.${kind}`, env.id, { runId });
  redirect(`/runs/${runId}`);
}

/**
 * Apply and Verify share one form (the DB admin's credentials are asked once): the clicked button's `intent`
 * says which run to start; anything but "verify" is an apply, which is held to the reviewed plan.
 */
export const runPlanAction = adminAction("applying or verifying the plan", async (user, envId: string, _prev: ActionState, form: FormData) =>
  start(user, envId, form.get("intent") === "verify" ? "verify" : "apply", form),
);
