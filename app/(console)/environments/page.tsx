// /environments — each Rasa Studio installation the console manages, with its state.
import Link from "next/link";
import { db } from "@/lib/db";
import { requireUser } from "@/lib/auth/current";
import { isAdmin } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";
export const metadata = { title: "Environments" };

export default async function EnvironmentsPage() {
  const user = await requireUser("/environments");
  const envs = await db.environment.findMany({ orderBy: { name: "asc" } });
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Environments</h1>
      {isAdmin(user) ? <p data-testid="admin-controls">Create an environment to start (wizard coming with the dashboard).</p> : null}
      {envs.length === 0 ? (
        <p>No environments yet.</p>
      ) : (
        <ul>
          {envs.map((e) => (
            <li key={e.id}>
              <Link href={`/environments/${e.id}`} className="underline">{e.name}</Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
