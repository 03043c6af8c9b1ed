// /environments/[id]/wizard/helm — the chart profile, namespace, release and service accounts.
import { HelmForm } from "@/components/wizard/helm-form";
import { WizardPage } from "@/components/wizard/wizard-page";
import { saveWizardStep } from "../actions";

export const dynamic = "force-dynamic";

export default function HelmStepPage({ params }: { params: Promise<{ id: string }> }) {
  return (
    <WizardPage params={params} step="helm">
      {async ({ id, values, back }) => <HelmForm action={saveWizardStep.bind(null, id, "helm")} defaults={values} backHref={back} />}
    </WizardPage>
  );
}
