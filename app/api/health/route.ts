// GET /api/health — the one open route, a readiness check: 200 once the process is up AND has recovered the runs
// a stopped process left behind (so a load balancer or `npm run test:e2e` sends nothing before that), else 503
// with the reason. Says nothing else.
import { getJobService } from "@/lib/jobs/service";

export const dynamic = "force-dynamic";

export async function GET() {
  // Creating the job service runs start-up recovery (one transaction) if nothing has created it yet.
  const jobs = getJobService();
  // A recovery that failed (the store was locked or full) is tried again at each probe until it succeeds.
  if (!jobs.readiness().ready) await jobs.recoverInterrupted().catch(() => undefined);
  const readiness = jobs.readiness();
  const headers = { "Cache-Control": "no-store" };
  if (!readiness.ready) return Response.json({ status: "starting", reason: readiness.reason }, { status: 503, headers });
  return Response.json({ status: "ok" }, { headers });
}
