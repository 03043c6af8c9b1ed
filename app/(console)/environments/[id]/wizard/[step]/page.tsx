// /environments/[id]/wizard/[step] — one page of the environment wizard, resuming from the server-side draft.
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/current";
import { isAdmin } from "@/lib/auth/roles";
import { WIZARD_STEPS, type WizardStep } from "@/lib/config/environment";
import { schemaDefaults } from "@/lib/config/wizard-form";
import { getEnvironmentOrThrow } from "@/lib/environments";
import { pickers } from "@/lib/pickers";
import { sdkConfiguredRegion } from "@/lib/aws/default-region";
import { Forbidden } from "@/components/ui/forbidden";
import { Warning } from "@/components/ui/warning";
import { StepNav, WIZARD_TITLES } from "@/components/wizard/step-nav";
import { AccountForm } from "@/components/wizard/account-form";
import { DatabaseForm } from "@/components/wizard/database-form";
import { StorageForm } from "@/components/wizard/storage-form";
import { HelmForm } from "@/components/wizard/helm-form";
import { ReviewForm } from "@/components/wizard/review-form";
import { SettingsSummary } from "@/components/wizard/settings-summary";
import { finishWizard, saveWizardStep } from "../actions";

export const dynamic = "force-dynamic";

export default async function WizardPage({ params }: { params: Promise<{ id: string; step: string }> }) {
  const { id, step } = await params;
  const user = await requireUser(`/environments/${id}/wizard/${step}`);
  if (!(WIZARD_STEPS as readonly string[]).includes(step)) notFound();
  if (!isAdmin(user)) return <Forbidden what="Editing an environment" />;
  const env = await getEnvironmentOrThrow(id);
  const current = step as WizardStep;
  const values = { ...schemaDefaults(), ...env.draft };
  const region = String(values.region || process.env.AWS_REGION || "us-east-1");
  const back = `/environments/${id}/wizard/${WIZARD_STEPS[Math.max(0, WIZARD_STEPS.indexOf(current) - 1)]}`;

  let body: React.ReactNode;
  switch (current) {
    case "account": {
      // An empty region is filled with the SDK's configured one (and says so), never a grey placeholder.
      const configured = values.region ? null : await sdkConfiguredRegion();
      const [identity, clusters] = await Promise.all([pickers.identity(configured ?? region), pickers.clusters(configured ?? region)]);
      body = (
        <>
          <section aria-label="Caller identity" className="rounded-md border border-slate-300 p-3 text-sm dark:border-slate-700">
            {identity.ok ? (
              <p data-testid="caller-identity">
                Signed in to AWS as <code>{identity.value.arn}</code> in account <code>{identity.value.accountId}</code> ({identity.value.partition}).
                Credentials come from the SDK&apos;s default chain; the console never asks for keys.
              </p>
            ) : (
              <p>AWS caller identity could not be read: {identity.error}. You can still fill in the form; the plan will read it again.</p>
            )}
          </section>
          {!clusters.ok ? <p className="text-sm">Clusters could not be listed ({clusters.error}); type the name.</p> : null}
          <AccountForm
            action={saveWizardStep.bind(null, id, "account")}
            defaults={configured ? { ...values, region: configured } : values}
            regionFromSdk={configured !== null}
            clusters={clusters.ok ? clusters.value : []}
          />
        </>
      );
      break;
    }
    case "database": {
      const dbs = await pickers.databases(region);
      body = (
        <>
          {!dbs.ok ? <p className="text-sm">Databases could not be listed ({dbs.error}); type the identifier.</p> : null}
          <DatabaseForm action={saveWizardStep.bind(null, id, "database")} defaults={values} databases={dbs.ok ? dbs.value : []} backHref={back} />
        </>
      );
      break;
    }
    case "storage": {
      const buckets = await pickers.buckets(region);
      body = (
        <StorageForm
          action={saveWizardStep.bind(null, id, "storage")}
          defaults={values}
          buckets={buckets.ok ? buckets.value.map((b) => b.name) : []}
          backHref={back}
        />
      );
      break;
    }
    case "helm":
      body = <HelmForm action={saveWizardStep.bind(null, id, "helm")} defaults={values} backHref={back} />;
      break;
    case "review":
      body = (
        <>
          {values.trustScope && values.trustScope !== "service-accounts" ? (
            <Warning title="Broad trust">The roles can be assumed by more than Studio&apos;s service accounts ({String(values.trustScope)}).</Warning>
          ) : null}
          <SettingsSummary values={values} editBase={`/environments/${id}/wizard`} />
          <ReviewForm action={finishWizard.bind(null, id)} backHref={back} editBase={`/environments/${id}/wizard`} />
        </>
      );
      break;
  }

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-semibold">
        {env.name}: {WIZARD_TITLES[current]}
      </h1>
      <StepNav envId={id} current={current} reached={env.wizardStep} />
      {body}
    </div>
  );
}
