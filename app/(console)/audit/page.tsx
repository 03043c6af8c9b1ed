// /audit — who did what, when, to which environment. Read-only for everyone.
import Link from "next/link";
import { db } from "@/lib/db";
import { requireUser } from "@/lib/auth/current";
import { Time } from "@/components/ui/time";

export const dynamic = "force-dynamic";
export const metadata = { title: "Audit log" };

export default async function AuditPage() {
  await requireUser("/audit");
  const events = await db.auditEvent.findMany({
    orderBy: { id: "desc" },
    take: 500,
    include: { environment: { select: { id: true, name: true } } },
  });
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      {events.length === 0 ? (
        <p>Nothing has happened yet.</p>
      ) : (
        <table className="w-full border-collapse text-left text-sm">
          <thead>
            <tr className="border-b border-slate-300 dark:border-slate-700">
              <th scope="col" className="py-2">When</th>
              <th scope="col" className="py-2">Who</th>
              <th scope="col" className="py-2">What</th>
              <th scope="col" className="py-2">Environment</th>
              <th scope="col" className="py-2">Details</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} className="border-b border-slate-200 align-top dark:border-slate-800">
                <td className="py-2 whitespace-nowrap"><Time value={e.at} /></td>
                <td className="py-2">{e.actor}</td>
                <td className="py-2 font-mono">{e.action}</td>
                <td className="py-2">{e.environment ? <Link className="underline" href={`/environments/${e.environment.id}`}>{e.environment.name}</Link> : "—"}</td>
                <td className="py-2 font-mono text-xs break-all">{e.detail ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
