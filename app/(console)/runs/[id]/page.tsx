// /runs/[id] — one run: live stepper and log for everyone; cancel, resume and retry for admins.
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/current";
import { isAdmin } from "@/lib/auth/roles";
import { connectionOf, latestPlanFor } from "@/lib/environments";
import { getJobService } from "@/lib/jobs/service";
import { RunProgress } from "@/components/runs/run-progress";
import { RunAccess } from "@/components/access/run-access";
import { cancelRunAction, resumeRunAction, retryStepAction } from "./actions";

export const dynamic = "force-dynamic";

const RUN_KIND_TITLES: Record<string, string> = {
  apply: "Apply run",
  verify: "Verify run",
  access: "Access check",
  teardown: "Teardown run",
  "cluster-check": "Cluster check run",
  "model-copy": "Model copy run",
  "model-upload": "Model upload run",
};

export const metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/runs/${id}`);
  const jobs = getJobService();
  const view = await jobs.runView(id);
  if (!view) notFound();
  const logs = await jobs.logsSince(id, 0);
  const connection = isAdmin(user) && view.settings ? connectionOf(view.settings, await latestPlanFor(view.environmentId)) : null;
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">
        {RUN_KIND_TITLES[view.kind] ?? "Run"} of{" "}
        <Link className="underline" href={`/environments/${view.environmentId}`}>
          {view.environmentName}
        </Link>
      </h1>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Started by {view.actor}. Run id <code>{view.id}</code>.{" "}
        {view.status === "succeeded" && (view.kind === "apply" || view.kind === "verify") ? (
          <Link className="underline" href={`/environments/${view.environmentId}/values`}>
            Get the Helm values
          </Link>
        ) : null}
      </p>
      <RunProgress
        initial={view}
        initialLogs={logs}
        connection={connection}
        controls={
          isAdmin(user)
            ? { cancel: cancelRunAction.bind(null, id), resume: resumeRunAction.bind(null, id), retry: retryStepAction.bind(null, id) }
            : undefined
        }
      />
      {view.kind === "access" ? <RunAccess view={view} /> : null}
    </div>
  );
}
