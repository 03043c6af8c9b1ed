// /environments — each Rasa Studio installation the console manages, with its state and last run.
import Link from "next/link";
import { db } from "@/lib/db";
import { requireUser } from "@/lib/auth/current";
import { isAdmin } from "@/lib/auth/roles";
import { draftOf, stateOf } from "@/lib/environments";
import { NewEnvironmentForm } from "@/components/environments/new-environment-form";
import { StateBadge } from "@/components/environments/state-badge";
import { Time } from "@/components/ui/time";

export const dynamic = "force-dynamic";
export const metadata = { title: "Environments" };

export default async function EnvironmentsPage() {
  const user = await requireUser("/environments");
  const envs = await db.environment.findMany({
    orderBy: { name: "asc" },
    include: { runs: { where: { kind: "apply" }, orderBy: { createdAt: "desc" }, take: 1 } },
  });
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Environments</h1>
      {isAdmin(user) ? (
        <section data-testid="admin-controls" className="rounded-lg border border-slate-300 bg-white p-4 dark:border-slate-700 dark:bg-slate-900">
          <NewEnvironmentForm />
        </section>
      ) : null}
      {envs.length === 0 ? (
        <p>No environments yet.{isAdmin(user) ? " Create one (staging first) to start." : ""}</p>
      ) : (
        <table className="w-full border-collapse text-left text-sm">
          <thead>
            <tr className="border-b border-slate-300 dark:border-slate-700">
              <th scope="col" className="py-2">Environment</th>
              <th scope="col" className="py-2">State</th>
              <th scope="col" className="py-2">Region</th>
              <th scope="col" className="py-2">Cluster</th>
              <th scope="col" className="py-2">Last run</th>
            </tr>
          </thead>
          <tbody>
            {envs.map((e) => {
              const values = draftOf(e);
              const last = e.runs[0];
              return (
                <tr key={e.id} className="border-b border-slate-200 dark:border-slate-800">
                  <td className="py-2">
                    <Link href={`/environments/${e.id}`} className="font-medium underline">
                      {e.name}
                    </Link>
                  </td>
                  <td className="py-2">
                    <StateBadge state={stateOf(e, last)} testId={`env-state-${e.name}`} />
                  </td>
                  <td className="py-2">{String(values.region ?? "—")}</td>
                  <td className="py-2">{String(values.clusterName ?? "—")}</td>
                  <td className="py-2">{last ? <Link className="underline" href={`/runs/${last.id}`}><Time value={last.createdAt} /></Link> : "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
