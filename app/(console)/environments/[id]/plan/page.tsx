// /environments/[id]/plan — discover what exists, show every change (create / update / unchanged) with its
// exact document, the warnings, the downloads for change review, and (admins) apply.
import Link from "next/link";
import { db } from "@/lib/db";
import { requireUser } from "@/lib/auth/current";
import { isAdmin } from "@/lib/auth/roles";
import { getEnvironmentOrThrow, looksLikeProduction, settingsOf } from "@/lib/environments";
import { discoverEnvironment } from "@/lib/steps/discover";
import { buildPlan, planSummary } from "@/lib/steps/plan";
import { PlanView } from "@/components/plan/plan-view";
import { RunForm } from "@/components/plan/run-form";
import { Warning } from "@/components/ui/warning";
import { startRunAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Plan" };

export default async function PlanPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/environments/${id}/plan`);
  const env = await getEnvironmentOrThrow(id);
  const settings = settingsOf(env);
  if (!settings)
    return (
      <div className="flex flex-col gap-3">
        <h1 className="text-2xl font-semibold">{env.name}: plan</h1>
        <p>
          The wizard is not finished yet.{" "}
          {isAdmin(user) ? <Link className="underline" href={`/environments/${id}/wizard/${env.wizardStep}`}>Continue the wizard</Link> : null}
        </p>
      </div>
    );

  let observedError: string | null = null;
  let plan: ReturnType<typeof buildPlan> | null = null;
  try {
    const observed = await discoverEnvironment(settings);
    await db.environment.update({ where: { id }, data: { observed: JSON.stringify(observed) } });
    plan = buildPlan(settings, observed);
  } catch (err) {
    observedError = (err as Error).message || String(err);
  }
  const summary = plan ? planSummary(plan) : null;
  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-semibold">{env.name}: plan</h1>
      {observedError ? (
        <div role="alert" className="rounded-md border border-red-700 p-3 text-sm text-red-800 dark:text-red-300">
          Discovery failed, so there is no plan yet: {observedError}
        </div>
      ) : null}
      {plan && summary ? (
        <>
          <p data-testid="plan-summary">
            {summary.create} to create, {summary.update} to update, {summary.unchanged} unchanged.
          </p>
          {plan.warnings.map((w) => (
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
          <PlanView plan={plan} />
          {isAdmin(user) ? (
            <section aria-labelledby="apply-title" className="flex flex-col gap-6 rounded-lg border border-slate-300 p-4 dark:border-slate-700">
              <h2 id="apply-title" className="text-lg font-medium">
                Apply
              </h2>
              <RunForm
                action={startRunAction.bind(null, id, "apply")}
                label="Apply the plan"
                idPrefix="apply-"
                confirmName={looksLikeProduction(env.name) ? env.name : undefined}
              >
                <p className="text-sm">Each step re-reads AWS before it changes anything. You can leave this page: the run goes on and its page shows where it is.</p>
              </RunForm>
              <RunForm action={startRunAction.bind(null, id, "verify")} label="Verify by read-back" idPrefix="verify-">
                <p className="text-sm">
                  Reads everything back (roles, policies, bucket settings, RDS flag, the grants) and checks it against this plan; changes nothing.
                  A DBA who runs grants.sql by hand: apply without DB credentials, then use <em>Verify grants run by hand</em> on the run page.
                </p>
              </RunForm>
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
