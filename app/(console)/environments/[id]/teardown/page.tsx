// /environments/[id]/teardown — "remove what this console created" for a trial or abandoned environment: what a
// teardown deletes and keeps, the permissions it needs and (admins) the teardown plan read on request (a POST)
// with the confirmed start of the run. Opening the page reads nothing from AWS and writes nothing.
import Link from "next/link";
import { requireUser } from "@/lib/auth/current";
import { isAdmin } from "@/lib/auth/roles";
import { getEnvironmentOrThrow, latestPlanFor } from "@/lib/environments";
import { toPolicyJson } from "@/lib/policies/policy-json";
import { identityFacts } from "@/lib/steps/facts";
import { teardownPolicy } from "@/lib/teardown/policy";
import { TeardownPanel } from "@/components/teardown/teardown-panel";
import { CodeBlock } from "@/components/ui/code-block";
import { planTeardownAction, startTeardownAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Teardown" };

export default async function TeardownPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/environments/${id}/teardown`);
  const env = await getEnvironmentOrThrow(id);
  const settings = env.settings;
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
        <li>Kept: what the console adopted, what others made, other environments&apos; resources, the Pod Identity agent add-on.</li>
        <li>
          IAM database authentication: turned off only when you type the database identifier too. The IAM database user:
          kept, with the SQL to drop it by hand.
        </li>
        <li>Roll the Helm values back first (the way back on the environment page): pods still using the roles lose access.</li>
      </ul>
      {!settings ? (
        <p>The wizard is not finished: the console has created nothing for this environment.</p>
      ) : isAdmin(user) ? (
        <TeardownPanel
          planAction={planTeardownAction.bind(null, id)}
          startAction={startTeardownAction.bind(null, id)}
          environmentName={env.name}
          bucketName={settings.bucketName}
          dbIdentifier={settings.dbIdentifier}
        />
      ) : (
        <p>
          An admin plans and runs a teardown; its runs are in the{" "}
          <Link className="underline" href={`/runs?environment=${id}`}>
            run history
          </Link>{" "}
          with every delete in their log.
        </p>
      )}
      {settings ? (
        <details>
          <summary className="cursor-pointer text-blue-800 underline dark:text-blue-300">Permissions a teardown needs (grant them only for it)</summary>
          <CodeBlock code={toPolicyJson(teardownPolicy({ settings, accountId }))} label={`teardown policy for ${env.name}`} />
        </details>
      ) : null}
    </div>
  );
}
