// GET /environments/[id]/model-copy-job.yaml — the Kubernetes Job that copies the models from the volume to the
// bucket, exactly as the plan shows it (signed-in users); 409 when the environment does not copy from volumes
// with a Job (already on S3, retrain, or an upload from a folder).
import { attachment, signedInDownload } from "@/lib/environments";
import { modelStoragePlan } from "@/lib/models/storage-plan";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const found = await signedInDownload(params);
  if (found instanceof Response) return found;
  const plan = modelStoragePlan(found.settings);
  if (plan.situation !== "copy-from-pv" || plan.source !== "cluster-job")
    return Response.json({ error: "storageSituation is not copy-from-pv with modelCopySource cluster-job: there is no copy Job" }, { status: 409 });
  return attachment(plan.job.yaml, plan.job.fileName, "application/yaml");
}
