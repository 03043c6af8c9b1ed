// /environments/[id]/plan — the saved plan as the admin reviews it: what each step reads and every change
// (create / update / unchanged) with its exact document, the warnings, the downloads for change review, and
// (admins) refresh, apply and verify. Reads only: computing a plan is the explicit "Refresh plan" POST.
import Link from "next/link";
import { requireUser } from "@/lib/auth/current";
import { isAdmin } from "@/lib/auth/roles";
import { connectionOf, getEnvironmentOrThrow, latestPlanFor, looksLikeProduction, planMaxAgeMs, planRefusal } from "@/lib/environments";
import { unconfirmedAdoptions } from "@/lib/steps/adopt";
import { pendingToAcknowledge } from "@/lib/steps/rds-iam-auth";
import { planSummary } from "@/lib/steps/plan";
import { modelStoragePlan } from "@/lib/models/storage-plan";
import { ModelStoragePlanView } from "@/components/plan/model-storage-plan";
import { PlanDiagram } from "@/components/plan/plan-diagram";
import { PlanView } from "@/components/plan/plan-view";
import { RefreshPlanForm } from "@/components/plan/refresh-plan-form";
import { RunPanel } from "@/components/plan/run-panel";
import { Time } from "@/components/ui/time";
import { Warning } from "@/components/ui/warning";
import { refreshPlanAction, runPlanAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Plan" };

export default async function PlanPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/environments/${id}/plan`);
  const env = await getEnvironmentOrThrow(id);
  const admin = isAdmin(user);
  if (!env.settings)
    return (
      <div className="flex flex-col gap-3">
        <h1 className="text-2xl font-semibold">{env.name}: plan</h1>
        <p>
          The wizard is not finished yet.{" "}
          {admin ? <Link className="underline" href={`/environments/${id}/wizard/${env.wizardStep}`}>Continue the wizard</Link> : null}
        </p>
      </div>
    );

  const saved = await latestPlanFor(env.id);
  const connection = connectionOf(env.settings, saved);
  const refusal = saved ? planRefusal(saved, { settings: env.settings, latestPlanId: saved.id }) : null;
  const summary = saved ? planSummary(saved.plan) : null;
  const blocked = saved ? saved.plan.steps.some((s) => s.blockers.length > 0) : false;
  const adoptions = saved ? unconfirmedAdoptions(saved.plan.steps.flatMap((s) => s.changes), []) : [];
  const pending = saved ? pendingToAcknowledge(saved.facts) : null;
  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-semibold">{env.name}: plan</h1>
      {admin ? <RefreshPlanForm action={refreshPlanAction.bind(null, id)} hasPlan={!!saved} connection={connection} /> : null}
      {!saved ? (
        <p>
          No plan yet.{" "}
          {admin ? "Compute it: the console reads the account (nothing changes) and lists every change for review." : "An admin computes it."}
        </p>
      ) : (
        <>
          <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="plan-meta">
            Computed <Time value={saved.createdAt} /> by {saved.actor} from what the account looked like then (fingerprint{" "}
            <code>{saved.fingerprint.slice(0, 12)}</code>). Applying re-reads the account first and refuses if anything changed since; a plan
            may be applied for {planMaxAgeMs() / 3_600_000} h.
          </p>
          {refusal ? (
            <Warning title="Refresh before applying" testId="plan-refusal">
              {refusal}
            </Warning>
          ) : null}
          {summary ? (
            <p data-testid="plan-summary">
              {summary.create} to create, {summary.update} to update, {summary.unchanged} unchanged
              {summary.adopt ? `, ${summary.adopt} to adopt (type each name below to confirm)` : ""}
              {summary.deferred ? `, ${summary.deferred} SQL statements checked when applied` : ""}.
            </p>
          ) : null}
          <PlanDiagram
            plan={saved.plan}
            names={{
              rdsRole: env.settings.rdsRoleName,
              s3Role: env.settings.s3RoleName,
              bucket: env.settings.bucketName,
              dbUser: env.settings.iamDbUser,
              database: env.settings.databaseName,
            }}
          />
          {saved.plan.warnings.map((w) => (
            <Warning key={w} title="Warning" testId="plan-warning">
              {w}
            </Warning>
          ))}
          <p className="flex flex-wrap gap-4 text-sm">
            <a className="underline" href={`/environments/${id}/plan/aws-cli.sh`} download>
              Download the equivalent AWS CLI script
            </a>
            <a className="underline" href={`/environments/${id}/grants.sql`} download>
              Download grants.sql
            </a>
            <Link className="underline" href={`/environments/${id}/values`}>
              Helm values
            </Link>
          </p>
          <h2 className="text-lg font-medium">Changes, step by step</h2>
          <PlanView plan={saved.plan} />
          <ModelStoragePlanView plan={modelStoragePlan(saved.settings)} envId={id} />
          {admin ? (
            <section aria-labelledby="apply-title" className="flex flex-col gap-6 rounded-lg border border-slate-300 p-4 dark:border-slate-700">
              <h2 id="apply-title" className="text-lg font-medium">
                Apply or verify
              </h2>
              <RunPanel
                action={runPlanAction.bind(null, id)}
                planId={saved.id}
                connection={connection}
                confirmName={looksLikeProduction(env.name) ? env.name : undefined}
                applyBlocked={refusal ?? (blocked ? "something above blocks the apply: fix it, then refresh the plan." : null)}
                adoptions={adoptions}
                pendingRds={pending ?? undefined}
              />
            </section>
          ) : null}
        </>
      )}
    </div>
  );
}
