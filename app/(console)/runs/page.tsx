// /runs — every apply and verify run, newest first, 30 to a page (?page=N); ?environment=<id> for one
// environment's history (its page links here).
import Link from "next/link";
import { requireUser } from "@/lib/auth/current";
import { listRunsPage, parseEnvironmentFilter, parsePageNumber } from "@/lib/environments/run-pages";
import { RunsTable } from "@/components/runs/runs-table";
import { Pager } from "@/components/ui/pager";

export const dynamic = "force-dynamic";
export const metadata = { title: "Runs" };

type Query = { page?: string | string[]; environment?: string | string[] };

export default async function RunsPage({ searchParams }: { searchParams: Promise<Query> }) {
  await requireUser("/runs");
  const query = await searchParams;
  const pageNumber = parsePageNumber(query.page);
  const filter = parseEnvironmentFilter(query.environment);
  if (!pageNumber.ok || !filter.ok)
    return (
      <div className="flex flex-col gap-4">
        <h1 className="text-2xl font-semibold">Runs</h1>
        <p role="alert">
          {[pageNumber, filter].flatMap((p) => (p.ok ? [] : [p.error])).join("; ")}.{" "}
          <Link className="underline" href="/runs">
            Show the newest runs
          </Link>
        </p>
      </div>
    );
  const { page } = pageNumber;
  const { environmentId } = filter;
  const { runs, hasOlder } = await listRunsPage(page, environmentId);
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">{environmentId && runs[0]?.environment ? `Runs of ${runs[0].environment.name}` : "Runs"}</h1>
      {runs.length === 0 ? (
        page === 1 ? (
          <p>No runs yet. Plan and apply an environment to start one.</p>
        ) : (
          <p>
            No runs on page {page}.{" "}
            <Link className="underline" href="/runs">
              Show the newest runs
            </Link>
          </p>
        )
      ) : (
        <RunsTable runs={runs} />
      )}
      <Pager basePath="/runs" query={environmentId ? { environment: environmentId } : {}} page={page} hasOlder={hasOlder} label="Runs" />
    </div>
  );
}
