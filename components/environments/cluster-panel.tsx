// The environment page's "Inside the cluster" section: the newest cluster check (each check passed / failed /
// not checkable, with why), a restart for deployments whose pods predate the role change (edit rights only), and
// the runs that move the models, by storage situation. Without cluster access it says what to choose.
import Link from "next/link";
import type { EnvironmentSettings } from "@/lib/config/environment";
import type { LatestClusterCheck } from "@/lib/cluster-runs/latest";
import type { ActionState } from "@/lib/auth/action";
import { restartCommand } from "@/lib/k8s/restart";
import { StateBadge } from "@/components/environments/state-badge";
import { Time } from "@/components/ui/time";
import { RestartForm, StartTaskForm } from "./cluster-forms";

type Act = (prev: ActionState, form: FormData) => Promise<ActionState>;

const STATUS_TEXT = { passed: "passed", failed: "failed", "not-checkable": "not checkable" } as const;

export function ClusterPanel({
  envId,
  settings,
  latest,
  admin,
  startAction,
  restartAction,
}: {
  envId: string;
  settings: EnvironmentSettings;
  latest: LatestClusterCheck | null;
  admin: boolean;
  startAction: Act;
  restartAction: Act;
}) {
  const access = settings.clusterAccess !== "none";
  const copyJob = settings.storageSituation === "copy-from-pv" && settings.modelCopySource === "cluster-job";
  const upload = settings.storageSituation === "copy-from-pv" && settings.modelCopySource === "folder";
  return (
    <section aria-labelledby="cluster-title" className="flex flex-col gap-3" data-testid="cluster-panel">
      <h2 id="cluster-title" className="text-lg font-medium">
        Inside the cluster
      </h2>
      {!access ? (
        <p className="text-sm">
          The console has no cluster access (choose the EKS API or a kubeconfig on the wizard&apos;s storage page to check Studio&apos;s pods here).
          After the Helm upgrade, check by hand: <code>kubectl get sa -n {settings.namespace} -o yaml</code>, then restart Studio&apos;s deployments.
        </p>
      ) : latest ? (
        <div className="flex flex-col gap-2">
          <p className="text-sm">
            Latest <Link className="underline" href={`/runs/${latest.runId}`}>cluster check</Link> <Time value={latest.at} />:{" "}
            <StateBadge state={latest.status} />
          </p>
          <ul className="flex flex-col gap-1 text-sm" aria-label="Cluster checks" data-testid="cluster-checks">
            {latest.checks.map((c) => (
              <li key={c.id} data-testid={`cluster-check-${c.id}`} data-status={c.status}>
                <span className="font-medium">{c.title}</span>: {STATUS_TEXT[c.status]} — {c.detail}
                {c.status === "failed" && c.restartDeployment ? (
                  admin && settings.clusterEditRights ? (
                    <RestartForm action={restartAction} deployment={c.restartDeployment} />
                  ) : (
                    <span className="block text-xs">
                      Restart it: <code>{restartCommand(settings.namespace, c.restartDeployment)}</code>
                    </span>
                  )
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="text-sm">Not checked yet: after the Helm upgrade, check that Studio&apos;s pods picked up their roles.</p>
      )}
      {admin ? (
        <div className="flex flex-wrap gap-4">
          {access ? <StartTaskForm action={startAction} task="cluster-check" label="Check the cluster" /> : null}
          {copyJob && access && settings.clusterEditRights ? <StartTaskForm action={startAction} task="model-copy" label="Start the model copy" /> : null}
          {upload ? <StartTaskForm action={startAction} task="model-upload" label="Start the model upload" /> : null}
        </div>
      ) : null}
      {copyJob && !(access && settings.clusterEditRights) ? (
        <p className="text-sm">
          The model copy Job runs with the kubectl commands on the <Link className="underline" href={`/environments/${envId}/plan`}>plan</Link> page.
        </p>
      ) : null}
    </section>
  );
}
