// /environments/[id]/wizard/review — every setting with a link to its step; finishing saves the environment.
import { Warning } from "@/components/ui/warning";
import { ReviewForm } from "@/components/wizard/review-form";
import { SettingsSummary } from "@/components/wizard/settings-summary";
import { WizardPage } from "@/components/wizard/wizard-page";
import { finishWizard } from "../actions";

export const dynamic = "force-dynamic";

export default function ReviewStepPage({ params }: { params: Promise<{ id: string }> }) {
  return (
    <WizardPage params={params} step="review">
      {async ({ id, values, back }) => (
        <>
          {values.trustScope && values.trustScope !== "service-accounts" ? (
            <Warning title="Broad trust">The roles can be assumed by more than Studio&apos;s service accounts ({String(values.trustScope)}).</Warning>
          ) : null}
          <SettingsSummary values={values} editBase={`/environments/${id}/wizard`} />
          <ReviewForm action={finishWizard.bind(null, id)} backHref={back} editBase={`/environments/${id}/wizard`} />
        </>
      )}
    </WizardPage>
  );
}
