// The frame of every wizard page: the session and admin checks, the environment's draft with the schema's
// defaults, the title and the step navigation. Each step is its own route (wizard/account, …) so that a step's
// page loads only its own form's JavaScript, not the other four (npm run bench:first-load-js).
import { requireUser } from "@/lib/auth/current";
import { isAdmin } from "@/lib/auth/roles";
import { WIZARD_STEPS, type WizardStep } from "@/lib/config/environment";
import { schemaDefaults } from "@/lib/config/wizard-form";
import { getEnvironmentOrThrow } from "@/lib/environments";
import { Forbidden } from "@/components/ui/forbidden";
import { StepNav, WIZARD_TITLES } from "./step-nav";

export interface WizardPageContext {
  id: string;
  /** The saved draft over the schema's defaults. */
  values: Record<string, unknown>;
  /** The region the pickers list in: the draft's, else the server's AWS_REGION, else us-east-1. */
  region: string;
  /** The previous step's page. */
  back: string;
}

export async function WizardPage({
  params,
  step,
  children,
}: {
  params: Promise<{ id: string }>;
  step: WizardStep;
  children: (ctx: WizardPageContext) => Promise<React.ReactNode>;
}) {
  const { id } = await params;
  const user = await requireUser(`/environments/${id}/wizard/${step}`);
  if (!isAdmin(user)) return <Forbidden what="Editing an environment" />;
  const env = await getEnvironmentOrThrow(id);
  const values = { ...schemaDefaults(), ...env.draft };
  const region = String(values.region || process.env.AWS_REGION || "us-east-1");
  const back = `/environments/${id}/wizard/${WIZARD_STEPS[Math.max(0, WIZARD_STEPS.indexOf(step) - 1)]}`;
  const body = await children({ id, values, region, back });
  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-semibold">
        {env.name}: {WIZARD_TITLES[step]}
      </h1>
      <StepNav envId={id} current={step} reached={env.wizardStep} />
      {body}
    </div>
  );
}
