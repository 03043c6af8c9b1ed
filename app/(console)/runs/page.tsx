// /runs — every plan, apply and verify run across environments, newest first.
import Link from "next/link";
import { db } from "@/lib/db";
import { requireUser } from "@/lib/auth/current";
import { formatDuration, Time } from "@/components/ui/time";

export const dynamic = "force-dynamic";
export const metadata = { title: "Runs" };

export default async function RunsPage() {
  await requireUser("/runs");
  const runs = await db.run.findMany({
    orderBy: { createdAt: "desc" },
    take: 200,
    include: { environment: { select: { id: true, name: true } } },
  });
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Runs</h1>
      {runs.length === 0 ? (
        <p>No runs yet. Plan and apply an environment to start one.</p>
      ) : (
        <table className="w-full border-collapse text-left text-sm">
          <thead>
            <tr className="border-b border-slate-300 dark:border-slate-700">
              <th scope="col" className="py-2">Run</th>
              <th scope="col" className="py-2">Environment</th>
              <th scope="col" className="py-2">Kind</th>
              <th scope="col" className="py-2">Outcome</th>
              <th scope="col" className="py-2">By</th>
              <th scope="col" className="py-2">Started</th>
              <th scope="col" className="py-2">Duration</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} className="border-b border-slate-200 dark:border-slate-800">
                <td className="py-2"><Link className="underline" href={`/runs/${r.id}`}>{r.id.slice(-8)}</Link></td>
                <td className="py-2"><Link className="underline" href={`/environments/${r.environment.id}`}>{r.environment.name}</Link></td>
                <td className="py-2">{r.kind}</td>
                <td className="py-2" data-testid="run-status">{r.status}</td>
                <td className="py-2">{r.actor}</td>
                <td className="py-2"><Time value={r.startedAt ?? r.createdAt} /></td>
                <td className="py-2">{formatDuration(r.finishedAt && r.startedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
