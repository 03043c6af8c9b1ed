// /runs — every apply and verify run across environments, newest first.
import { requireUser } from "@/lib/auth/current";
import { listRuns } from "@/lib/environments";
import { RunsTable } from "@/components/runs/runs-table";

export const dynamic = "force-dynamic";
export const metadata = { title: "Runs" };

export default async function RunsPage() {
  await requireUser("/runs");
  const runs = await listRuns({ take: 200 });
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Runs</h1>
      {runs.length === 0 ? <p>No runs yet. Plan and apply an environment to start one.</p> : <RunsTable runs={runs} />}
    </div>
  );
}
