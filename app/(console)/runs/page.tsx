// /runs — every apply and verify run across environments, newest first, one page of 50 at a time (?page=N).
import Link from "next/link";
import { requireUser } from "@/lib/auth/current";
import { listRunsPage, parsePageNumber } from "@/lib/environments/run-pages";
import { RunsTable } from "@/components/runs/runs-table";
import { Pager } from "@/components/ui/pager";

export const dynamic = "force-dynamic";
export const metadata = { title: "Runs" };

export default async function RunsPage({ searchParams }: { searchParams: Promise<{ page?: string | string[] }> }) {
  await requireUser("/runs");
  const parsed = parsePageNumber((await searchParams).page);
  if (!parsed.ok)
    return (
      <div className="flex flex-col gap-4">
        <h1 className="text-2xl font-semibold">Runs</h1>
        <p role="alert">
          {parsed.error}.{" "}
          <Link className="underline" href="/runs">
            Show the newest runs
          </Link>
        </p>
      </div>
    );
  const { page } = parsed;
  const { runs, hasOlder } = await listRunsPage(page);
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Runs</h1>
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
      <Pager basePath="/runs" page={page} hasOlder={hasOlder} label="Runs" />
    </div>
  );
}
