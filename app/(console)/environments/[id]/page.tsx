// /environments/[id] — one environment: its state and settings, what to do next, and its run history.
import Link from "next/link";
import { requireUser } from "@/lib/auth/current";
import { isAdmin } from "@/lib/auth/roles";
import { getEnvironmentOrThrow, stateOf } from "@/lib/environments";
import { StateBadge } from "@/components/environments/state-badge";
import { SettingsSummary } from "@/components/wizard/settings-summary";
import { RunsTable } from "@/components/runs/runs-table";
import { EnvironmentAccess } from "@/components/access/environment-access";
import { checkAccessAction } from "./access/actions";
import { ClusterPanel } from "@/components/environments/cluster-panel";
import { latestClusterCheck } from "@/lib/cluster-runs/latest";
import { RetrainChecklist } from "@/components/environments/retrain-checklist";
import { retrainChecklist } from "@/lib/models/retrain-tracking";
import { restartAction, retrainItemAction, startClusterRunAction } from "./cluster-actions";
import { latestApply, listRunsPage } from "@/lib/environments/run-pages";

export const dynamic = "force-dynamic";
export const metadata = { title: "Environment" };
const RECENT_RUNS = 10;

export default async function EnvironmentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/environments/${id}`);
  const env = await getEnvironmentOrThrow(id);
  // The latest few; the whole history is paged on /runs (a page of 50 runs here weighed 121 KiB).
  const { runs, hasOlder } = await listRunsPage(1, id, RECENT_RUNS);
  const lastApply = runs.find((r) => r.kind === "apply") ?? (await latestApply(id)) ?? undefined;
  // A teardown that succeeded after the last apply: what the console created is gone, whatever the apply said.
  const lastTeardown = runs.find((r) => r.kind === "teardown");
  const tornDown = lastTeardown?.status === "succeeded" && (!lastApply || lastTeardown.createdAt > lastApply.createdAt) ? lastTeardown : null;
  // The state follows whichever of the two came last.
  const lastChange = lastTeardown && (!lastApply || lastTeardown.createdAt > lastApply.createdAt) ? lastTeardown : lastApply;
  const complete = env.settings !== null;
  const admin = isAdmin(user);
  const link = "rounded-md border border-slate-400 px-3 py-2 text-sm hover:bg-slate-100 dark:hover:bg-slate-800";
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{env.name}</h1>
        <StateBadge state={stateOf(env, lastChange)} testId="env-state" />
      </div>
      {tornDown ? (
        <p className="text-sm" data-testid="env-torn-down">
          Torn down by {tornDown.actor}: what the console created for {env.name} was removed (
          <Link className="underline" href={`/runs/${tornDown.id}`}>
            the teardown run
          </Link>
          ). The settings are kept; a new plan and apply would create it all again.
        </p>
      ) : null}
      <nav aria-label="Environment actions" className="flex flex-wrap gap-3">
        {admin ? (
          <Link className={link} href={`/environments/${id}/wizard/${complete ? "account" : env.wizardStep}`}>
            {complete ? "Edit settings" : "Continue the wizard"}
          </Link>
        ) : null}
        {complete ? (
          <Link className={link} href={`/environments/${id}/plan`}>
            Plan{admin ? " and apply" : ""}
          </Link>
        ) : null}
        {complete ? (
          <Link className={link} href={`/environments/${id}/values`}>
            Helm values
          </Link>
        ) : null}
        {complete ? (
          <Link className={link} href={`/environments/${id}/teardown`}>
            Teardown
          </Link>
        ) : null}
      </nav>
      {complete ? (
        <section aria-labelledby="way-back-title">
          <h2 id="way-back-title" className="mb-2 text-lg font-medium">
            The way back
          </h2>
          <p className="mb-2 text-sm">
            To return Studio to the password user: upgrade with the rollback values after your values, wait until no pod connects as the IAM user,
            then run the rollback SQL as the database admin. It gives the original user everything the IAM user owns and removes the IAM user.
          </p>
          <div className="flex flex-wrap gap-3">
            <a className={link} href={`/environments/${id}/rollback-values.yaml`}>
              Download rollback values
            </a>
            <a className={link} href={`/environments/${id}/rollback.sql`}>
              Download rollback SQL
            </a>
          </div>
        </section>
      ) : null}
      {complete ? <EnvironmentAccess environmentId={id} checkAction={admin ? checkAccessAction.bind(null, id) : undefined} /> : null}
      {env.settings ? (
        <ClusterPanel
          envId={id}
          settings={env.settings}
          latest={await latestClusterCheck(id)}
          admin={admin}
          startAction={startClusterRunAction.bind(null, id)}
          restartAction={restartAction.bind(null, id)}
        />
      ) : null}
      {env.settings?.storageSituation === "retrain" ? (
        <RetrainChecklist items={await retrainChecklist(id)} admin={admin} action={retrainItemAction.bind(null, id)} />
      ) : null}
      <section aria-labelledby="settings-title">
        <h2 id="settings-title" className="mb-2 text-lg font-medium">
          Settings{complete ? "" : " (draft)"}
        </h2>
        <SettingsSummary values={env.draft} />
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title" className="mb-2 text-lg font-medium">
          Runs
        </h2>
        {runs.length === 0 ? <p>No runs yet.</p> : <RunsTable runs={runs} />}
        {hasOlder ? (
          <Link className="mt-2 inline-block underline" href={`/runs?environment=${id}`}>
            All runs of {env.name}
          </Link>
        ) : null}
      </section>
    </div>
  );
}
