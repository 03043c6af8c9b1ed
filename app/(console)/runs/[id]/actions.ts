"use server";
// Run control: cancel, resume an interrupted run, retry a failed step. Admins only; each is audited.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { audit } from "@/lib/audit";
import { adminAction, type ActionState } from "@/lib/auth/action";
import { STEP_KEYS } from "@/lib/steps";
import { getJobService } from "@/lib/jobs/service";
import { secretsFromForm } from "@/lib/run-secrets";

export const cancelRunAction = adminAction("cancelling a run", async (user, runId: string, _prev: ActionState) => {
  const { status } = await getJobService().cancelRun(runId, user.username);
  const view = await getJobService().runView(runId);
  await audit(user.username, "run.cancel", view?.environmentId, { runId, status });
  return { ok: true, message: "Cancel requested: the run stops before its next action." };
});

/** The run's own settings decide whether a password needs the no-TLS acknowledgement. */
async function runSecrets(runId: string, form: FormData) {
  const view = await getJobService().runView(runId);
  return secretsFromForm(form, { tlsOff: view?.settings?.dbTls === "disable" });
}

export const resumeRunAction = adminAction("resuming a run", async (user, runId: string, _prev: ActionState, form: FormData) => {
  const secrets = await runSecrets(runId, form);
  if (!secrets.ok) return { ok: false, errors: secrets.errors };
  await getJobService().resumeRun(runId, user.username, secrets.value);
  const view = await getJobService().runView(runId);
  await audit(user.username, "run.resume", view?.environmentId, { runId });
  revalidatePath(`/runs/${runId}`);
  return { ok: true, message: "Resumed." };
});

const stepKeySchema = z.enum(STEP_KEYS as [string, ...string[]], { error: "must be a step of the catalogue" });

export const retryStepAction = adminAction("retrying a step", async (user, runId: string, _prev: ActionState, form: FormData) => {
  const key = stepKeySchema.safeParse(form.get("step"));
  if (!key.success) return { ok: false, message: `step ${key.error.issues[0].message}` };
  const secrets = await runSecrets(runId, form);
  if (!secrets.ok) return { ok: false, errors: secrets.errors };
  // The DBA ran grants.sql by hand: the grants step verifies by read-back and is marked done when complete.
  const byHand = key.data === "db-grants" && form.get("byHand") === "on";
  await getJobService().retryStep(runId, key.data, user.username, secrets.value, { verifyOnly: byHand });
  const view = await getJobService().runView(runId);
  await audit(user.username, byHand ? "run.grants-by-hand" : "run.retry-step", view?.environmentId, { runId, step: key.data });
  revalidatePath(`/runs/${runId}`);
  return { ok: true, message: byHand ? "Verifying the grants run by hand." : `Retrying ${key.data}.` };
});
