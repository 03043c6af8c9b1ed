"use server";
// The environment page's "Check access" POST: an admin starts a read-only access run (the access matrix).
import { redirect } from "next/navigation";
import { audit } from "@/lib/audit";
import { adminAction, type ActionState } from "@/lib/auth/action";
import { getEnvironmentOrThrow } from "@/lib/environments";
import { ActiveRunError } from "@/lib/jobs";
import { getJobService } from "@/lib/jobs/service";

export const checkAccessAction = adminAction("checking access", async (user, envId: string): Promise<ActionState> => {
  const env = await getEnvironmentOrThrow(envId);
  if (!env.settings) return { ok: false, message: "Finish the wizard first: the settings are not complete." };
  let runId: string;
  try {
    ({ runId } = await getJobService().startRun({ environmentId: env.id, kind: "access", settings: env.settings, actor: user.username }));
  } catch (err) {
    if (err instanceof ActiveRunError) return { ok: false, message: err.message };
    throw err;
  }
  await audit(user.username, "run.access", env.id, { runId });
  redirect(`/runs/${runId}`);
});
