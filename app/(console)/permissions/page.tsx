// /permissions — the least-privilege IAM policy the console's own identity needs, derived from the step
// catalogue; scoped to each environment's resources once its account is known.
import { requireUser } from "@/lib/auth/current";
import { latestPlanFor, listEnvironments } from "@/lib/environments";
import { identityFacts } from "@/lib/steps/facts";
import { operatorPolicy } from "@/lib/steps/operator-policy";
import { teardownPolicy } from "@/lib/teardown/policy";
import { toPolicyJson } from "@/lib/policies/policy-json";
import { CodeBlock } from "@/components/ui/code-block";
import { Warning } from "@/components/ui/warning";

export const dynamic = "force-dynamic";
export const metadata = { title: "Permissions" };

export default async function PermissionsPage() {
  await requireUser("/permissions");
  const envs = await Promise.all(
    (await listEnvironments()).map(async (e) => ({ ...e, plan: e.settings ? await latestPlanFor(e.id) : null })),
  );
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Permissions the console needs</h1>
      <p className="text-sm">
        Attach this policy to the identity the console runs as (its credentials come from the AWS SDK&apos;s default chain). It lists exactly
        the calls the steps and the wizard&apos;s pickers make, each on the resources it acts on, derived from the step catalogue: only the
        calls AWS defines without a resource are granted on <code>*</code>.
      </p>
      <Warning title="What these permissions allow">
        iam:CreateRole, iam:PutRolePolicy and iam:UpdateAssumeRolePolicy let the holder give a role any permissions and trust. Prefer
        the policy scoped to an environment below, hold it in a role used only for the migration, and add a permissions boundary or an
        SCP where that matters.
      </Warning>
      <section aria-labelledby="generic-title" className="flex flex-col gap-2">
        <h2 id="generic-title" className="text-lg font-medium">
          Any environment
        </h2>
        <CodeBlock code={toPolicyJson(operatorPolicy())} label="operator policy (any environment)" />
      </section>
      <section aria-labelledby="teardown-title" className="flex flex-col gap-2">
        <h2 id="teardown-title" className="text-lg font-medium">
          Teardown (only while removing an environment)
        </h2>
        <p className="text-sm">
          The deletes of a teardown are not part of the policy above: grant these only for the time of a teardown. Each environment&apos;s
          teardown page shows them scoped to its resources.
        </p>
        <CodeBlock code={toPolicyJson(teardownPolicy())} label="teardown policy (any environment)" />
      </section>
      {envs.map((e) => {
        const settings = e.settings;
        if (!settings) return null;
        const accountId = e.plan ? identityFacts(e.plan.facts)?.accountId : undefined;
        return (
          <section key={e.id} aria-labelledby={`env-${e.id}`} className="flex flex-col gap-2">
            <h2 id={`env-${e.id}`} className="text-lg font-medium">
              Scoped to {e.name}
            </h2>
            <CodeBlock code={toPolicyJson(operatorPolicy({ settings, accountId }))} label={`operator policy for ${e.name}`} />
          </section>
        );
      })}
    </div>
  );
}
