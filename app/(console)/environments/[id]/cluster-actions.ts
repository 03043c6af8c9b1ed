"use server";
// The environment page's cluster POSTs (admins; each audited): start a cluster check, a model copy or a model
// upload run, restart a deployment whose pods predate the role change (after the admin confirms it), and tick
// the retrain checklist.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { audit } from "@/lib/audit";
import { adminAction, type ActionState } from "@/lib/auth/action";
import { k8sNameSchema } from "@/lib/config/aws-names";
import { clusterCheckTask } from "@/lib/cluster-runs/cluster-check";
import { connectFor } from "@/lib/cluster-runs/connect";
import { lastAppliedAt, latestClusterCheck } from "@/lib/cluster-runs/latest";
import { modelCopyTask } from "@/lib/cluster-runs/model-copy";
import { getEnvironmentOrThrow } from "@/lib/environments";
import { ActiveRunError } from "@/lib/jobs";
import { getJobService } from "@/lib/jobs/service";
import type { Task } from "@/lib/jobs/tasks";
import { NoEditRightsError } from "@/lib/k8s/access-review";
import { KubeCallError } from "@/lib/k8s/errors";
import { restartDeployment } from "@/lib/k8s/restart";
import { RETRAIN_ITEM_ACTION } from "@/lib/models/retrain-tracking";
import { RETRAIN_CHECKLIST } from "@/lib/models/storage-plan";
import { modelUploadTask } from "@/lib/models/upload-task";

const taskSchema = z.enum(["cluster-check", "model-copy", "model-upload"], { error: "must be cluster-check, model-copy or model-upload" });

export const startClusterRunAction = adminAction("starting a cluster run", async (user, envId: string, _prev: ActionState, form: FormData) => {
  const kind = taskSchema.safeParse(form.get("task"));
  if (!kind.success) return { ok: false, message: `task ${kind.error.issues[0].message}` };
  const env = await getEnvironmentOrThrow(envId);
  const s = env.settings;
  if (!s) return { ok: false, message: "Finish the wizard first: the settings are not complete." };
  let task: Task;
  if (kind.data === "model-upload") task = modelUploadTask();
  else if (s.clusterAccess === "none") return { ok: false, message: "clusterAccess is none: choose the EKS API or a kubeconfig on the wizard's storage page." };
  else if (kind.data === "model-copy") task = modelCopyTask({ connect: connectFor(s) });
  else task = clusterCheckTask({ connect: connectFor(s), roleChangedAt: await lastAppliedAt(env.id) });
  let runId: string;
  try {
    ({ runId } = await getJobService().startTask({ environmentId: env.id, actor: user.username, settings: s, task }));
  } catch (err) {
    if (err instanceof ActiveRunError) return { ok: false, message: err.message };
    throw err;
  }
  await audit(user.username, `run.${kind.data}`, env.id, { runId });
  redirect(`/runs/${runId}`);
});

export const restartAction = adminAction("restarting a deployment", async (user, envId: string, _prev: ActionState, form: FormData): Promise<ActionState> => {
  const deployment = k8sNameSchema.safeParse(form.get("deployment"));
  if (!deployment.success) return { ok: false, errors: { deployment: [`deployment ${deployment.error.issues[0].message}`] } };
  if (form.get("confirm") !== "on") return { ok: false, errors: { confirm: ["must be ticked: the deployment's pods are replaced one by one"] } };
  const env = await getEnvironmentOrThrow(envId);
  const s = env.settings;
  if (!s) return { ok: false, message: "Finish the wizard first: the settings are not complete." };
  if (!s.clusterEditRights) return { ok: false, message: "clusterEditRights is off: run kubectl rollout restart yourself, or ask for edit rights on the wizard's storage page." };
  // Only what the latest check said needs a restart: the form cannot name any deployment it likes.
  const latest = await latestClusterCheck(env.id);
  if (!latest?.checks.some((c) => c.restartDeployment === deployment.data))
    return { ok: false, message: `deployment ${deployment.data} is not one the latest cluster check found needing a restart` };
  try {
    const conn = await connectFor(s)();
    const { restartedAt } = await restartDeployment(conn, s.namespace, deployment.data);
    await audit(user.username, "cluster.restart", env.id, { deployment: deployment.data, restartedAt });
  } catch (err) {
    if (err instanceof NoEditRightsError || err instanceof KubeCallError) return { ok: false, message: err.message };
    throw err;
  }
  revalidatePath(`/environments/${envId}`);
  return { ok: true, message: `Restart of ${deployment.data} requested: check the cluster again once its new pods run.` };
});

const retrainItemSchema = z.enum(RETRAIN_CHECKLIST.map((i) => i.id) as [string, ...string[]], { error: "must be an item of the retrain checklist" });

export const retrainItemAction = adminAction("ticking the retrain checklist", async (user, envId: string, _prev: ActionState, form: FormData): Promise<ActionState> => {
  const item = retrainItemSchema.safeParse(form.get("item"));
  if (!item.success) return { ok: false, message: `item ${item.error.issues[0].message}` };
  const env = await getEnvironmentOrThrow(envId);
  if (env.settings?.storageSituation !== "retrain") return { ok: false, message: "storageSituation is not retrain: there is no retrain checklist" };
  const done = form.get("done") === "true";
  await audit(user.username, RETRAIN_ITEM_ACTION, env.id, { item: item.data, done });
  revalidatePath(`/environments/${envId}`);
  return { ok: true, message: done ? "Marked done." : "Marked not done." };
});
