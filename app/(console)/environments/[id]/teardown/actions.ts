"use server";
// The teardown page's two POSTs, admins only. Plan: read the account (read-only calls, at most one every few
// seconds) and answer with the teardown plan, not saved. Start: a teardown run of the deletes the admin reviewed;
// the environment's name must be typed (as GitHub asks before deleting a repository), the bucket's name too to
// delete the models in it. Both audited; the run's end is audited by the job service with what was removed.
import { z } from "zod";
import { redirect } from "next/navigation";
import { audit } from "@/lib/audit";
import { adminAction, type ActionState } from "@/lib/auth/action";
import { getEnvironmentOrThrow, takeRefreshSlot } from "@/lib/environments";
import { ActiveRunError } from "@/lib/jobs";
import { getJobService } from "@/lib/jobs/service";
import { planTeardown, type TeardownPlan } from "@/lib/teardown/plan";

export type TeardownPlanState = ActionState & { teardown?: TeardownPlan };

export const planTeardownAction = adminAction("planning a teardown", async (user, envId: string): Promise<TeardownPlanState> => {
  const env = await getEnvironmentOrThrow(envId);
  if (!env.settings) return { ok: false, message: "The wizard is not finished: the console has created nothing for this environment." };
  const slot = takeRefreshSlot(`teardown:${env.id}`);
  if (slot.waitSeconds) return { ok: false, message: `A teardown of ${env.name} was planned just now: try again in ${slot.waitSeconds} s.` };
  try {
    const teardown = await planTeardown(env.settings);
    await audit(user.username, "teardown.plan", env.id, { deletes: teardown.deletes, kept: teardown.kept });
    return { ok: true, teardown };
  } finally {
    slot.done();
  }
});

/** The reviewed deletes the form carries back (./page.tsx writes them): `<change id>#<digest>`, bounded. */
const reviewedSchema = z.array(z.string().min(1).max(400)).min(1).max(500);

function reviewedFrom(form: FormData): string[] | null {
  try {
    const parsed = reviewedSchema.safeParse(JSON.parse(String(form.get("reviewed") ?? "")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const startTeardownAction = adminAction("removing what the console created", async (user, envId: string, _prev: ActionState, form: FormData): Promise<ActionState> => {
  const env = await getEnvironmentOrThrow(envId);
  if (!env.settings) return { ok: false, message: "The wizard is not finished: the console has created nothing for this environment." };
  const typed = String(form.get("confirmEnvironment") ?? "").trim();
  if (typed !== env.name) return { ok: false, errors: { confirmEnvironment: [`must be "${env.name}" to remove what the console created for it`] } };
  const bucket = String(form.get("confirmBucket") ?? "").trim();
  if (bucket && bucket !== env.settings.bucketName)
    return { ok: false, errors: { confirmBucket: [`must be "${env.settings.bucketName}" to delete the bucket with its models, or left empty to keep it`] } };
  // Turning IAM authentication off is an explicit choice too: the database identifier typed, or nothing.
  const database = String(form.get("confirmDatabase") ?? "").trim();
  if (database && database !== env.settings.dbIdentifier)
    return {
      ok: false,
      errors: { confirmDatabase: [`must be "${env.settings.dbIdentifier}" to turn IAM database authentication off, or left empty to keep it on`] },
    };
  const reviewed = reviewedFrom(form);
  if (!reviewed) return { ok: false, message: "The reviewed teardown plan did not come with the form: plan the teardown again." };
  let runId: string;
  try {
    ({ runId } = await getJobService().startRun({
      environmentId: env.id,
      kind: "teardown",
      settings: env.settings,
      actor: user.username,
      reviewed,
      confirmDelete: [bucket, database].filter(Boolean),
    }));
  } catch (err) {
    if (err instanceof ActiveRunError) return { ok: false, message: err.message };
    throw err;
  }
  await audit(user.username, "run.teardown", env.id, {
    runId,
    planned: reviewed.map((k) => k.slice(0, k.lastIndexOf("#"))),
    ...(bucket ? { bucketConfirmed: bucket } : {}),
    ...(database ? { iamAuthOffConfirmed: database } : {}),
  });
  redirect(`/runs/${runId}`);
});
