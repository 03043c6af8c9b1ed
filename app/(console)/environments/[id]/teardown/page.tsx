// /environments/[id]/teardown — "remove what this console created" for a trial or abandoned environment: the
// teardown plan (every delete with its AWS call and resource, and what is kept and why), the AWS CLI equivalent,
// the permissions it needs, and (admins) the confirmed start of the run. The plan is read from the account only
// when asked for (?review=1): read-only calls, nothing is written on this GET.
import Link from "next/link";
import { requireUser } from "@/lib/auth/current";
import { isAdmin } from "@/lib/auth/roles";
import { getEnvironmentOrThrow, latestPlanFor } from "@/lib/environments";
import { publicError } from "@/lib/http/public-error";
import { toPolicyJson } from "@/lib/policies/policy-json";
import { identityFacts } from "@/lib/steps/facts";
import { planTeardown, type TeardownPlan } from "@/lib/teardown/plan";
import { teardownPolicy } from "@/lib/teardown/policy";
import { PlanView } from "@/components/plan/plan-view";
import { TeardownForm } from "@/components/teardown/teardown-form";
import { CodeBlock } from "@/components/ui/code-block";
import { Warning } from "@/components/ui/warning";
import { startTeardownAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Teardown" };

export default async function TeardownPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ review?: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/environments/${id}/teardown`);
  const env = await getEnvironmentOrThrow(id);
  const admin = isAdmin(user);
  const review = (await searchParams).review === "1";
  const settings = env.settings;
  let teardown: TeardownPlan | null = null;
  let failure: string | null = null;
  if (settings && review) {
    try {
      teardown = await planTeardown(settings);
    } catch (error) {
      failure = publicError(error, "planning a teardown", { environmentId: id }).message;
    }
  }
  const accountId = settings ? identityFacts((await latestPlanFor(id))?.facts ?? {})?.accountId : undefined;
  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-semibold">{env.name}: remove what the console created</h1>
      <ul className="list-disc pl-5 text-sm">
        <li>
          Deleted, only when they carry the console&apos;s tags for <strong>{env.name}</strong>: the pod identity associations, the IAM roles
          (their inline policies first, managed policies detached), the S3 bucket when empty (or when you type its name), and the IAM OIDC
          provider when no other role of the account trusts it.
        </li>
        <li>Kept: anything adopted or made by others, other environments&apos; resources, the Pod Identity agent add-on.</li>
        <li>Kept, and said how to undo by hand: IAM database authentication and the IAM database user.</li>
        <li>Undo the Helm values first (the way back on the environment page): pods still using the roles lose access.</li>
      </ul>
      {!settings ? (
        <p>The wizard is not finished: the console has created nothing for this environment.</p>
      ) : !review ? (
        <p>
          <Link className="rounded-md border border-slate-400 px-3 py-2 text-sm hover:bg-slate-100 dark:hover:bg-slate-800" href={`/environments/${id}/teardown?review=1`}>
            Read the account and plan the teardown
          </Link>
        </p>
      ) : failure ? (
        <Warning title="The account could not be read" testId="teardown-failure">
          {failure}
        </Warning>
      ) : teardown ? (
        <>
          <p data-testid="teardown-summary">
            {teardown.deletes} to delete, {teardown.kept} kept. Computed just now; <Link className="underline" href={`/environments/${id}/teardown?review=1`}>read again</Link>.
          </p>
          {teardown.plan.warnings.map((w) => (
            <Warning key={w} title="Warning" testId="plan-warning">
              {w}
            </Warning>
          ))}
          <PlanView plan={teardown.plan} teardown />
          <details>
            <summary className="cursor-pointer text-blue-800 underline dark:text-blue-300">The same deletes as an AWS CLI script</summary>
            <CodeBlock code={teardown.cli} label="teardown AWS CLI script" />
          </details>
          {admin && teardown.deletes > 0 ? (
            <section aria-labelledby="teardown-run-title" className="flex flex-col gap-3 rounded-lg border border-red-300 p-4 dark:border-red-800">
              <h2 id="teardown-run-title" className="text-lg font-medium">
                Remove
              </h2>
              <TeardownForm
                action={startTeardownAction.bind(null, id)}
                environmentName={env.name}
                reviewed={teardown.reviewed}
                bucketToConfirm={teardown.confirmNames.includes(settings.bucketName) ? settings.bucketName : undefined}
              />
            </section>
          ) : teardown.deletes === 0 ? (
            <p data-testid="teardown-nothing">Nothing the console created for {env.name} is left to remove.</p>
          ) : null}
        </>
      ) : null}
      {settings ? (
        <details>
          <summary className="cursor-pointer text-blue-800 underline dark:text-blue-300">Permissions a teardown needs (grant them only for it)</summary>
          <CodeBlock code={toPolicyJson(teardownPolicy({ settings, accountId }))} label={`teardown policy for ${env.name}`} />
        </details>
      ) : null}
    </div>
  );
}
