// /environments/[id]/wizard/storage — the model bucket and how the models get there.
import { pickers } from "@/lib/pickers";
import { StorageForm } from "@/components/wizard/storage-form";
import { WizardPage } from "@/components/wizard/wizard-page";
import { saveWizardStep } from "../actions";

export const dynamic = "force-dynamic";

export default function StorageStepPage({ params }: { params: Promise<{ id: string }> }) {
  return (
    <WizardPage params={params} step="storage">
      {async ({ id, values, region, back }) => {
        const buckets = await pickers.buckets(region);
        return (
          <StorageForm
            action={saveWizardStep.bind(null, id, "storage")}
            defaults={values}
            buckets={buckets.ok ? buckets.value.map((b) => b.name) : []}
            backHref={back}
          />
        );
      }}
    </WizardPage>
  );
}
