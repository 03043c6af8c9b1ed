// /environments/[id]/wizard/database — the RDS database, the IAM database user and the ownership cutover.
import { pickers } from "@/lib/pickers";
import { DatabaseForm } from "@/components/wizard/database-form";
import { WizardPage } from "@/components/wizard/wizard-page";
import { saveWizardStep } from "../actions";

export const dynamic = "force-dynamic";

export default function DatabaseStepPage({ params }: { params: Promise<{ id: string }> }) {
  return (
    <WizardPage params={params} step="database">
      {async ({ id, values, region, back }) => {
        const dbs = await pickers.databases(region);
        return (
          <>
            {!dbs.ok ? <p className="text-sm">Databases could not be listed ({dbs.error}); type the identifier.</p> : null}
            <DatabaseForm action={saveWizardStep.bind(null, id, "database")} defaults={values} databases={dbs.ok ? dbs.value : []} backHref={back} />
          </>
        );
      }}
    </WizardPage>
  );
}
