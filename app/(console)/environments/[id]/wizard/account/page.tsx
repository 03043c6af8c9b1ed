// /environments/[id]/wizard/account — the AWS account, region and EKS cluster, resuming from the draft.
import { sdkConfiguredRegion } from "@/lib/aws/default-region";
import { pickers } from "@/lib/pickers";
import { AccountForm } from "@/components/wizard/account-form";
import { WizardPage } from "@/components/wizard/wizard-page";
import { saveWizardStep } from "../actions";

export const dynamic = "force-dynamic";

export default function AccountStepPage({ params }: { params: Promise<{ id: string }> }) {
  return (
    <WizardPage params={params} step="account">
      {async ({ id, values, region }) => {
        // An empty region is filled with the SDK's configured one (and says so), never a grey placeholder.
        const configured = values.region ? null : await sdkConfiguredRegion();
        const [identity, clusters] = await Promise.all([pickers.identity(configured ?? region), pickers.clusters(configured ?? region)]);
        return (
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
      }}
    </WizardPage>
  );
}
