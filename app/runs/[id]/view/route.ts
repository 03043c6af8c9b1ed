// GET /runs/[id]/view?after=<log id> — the run (steps included) and its log lines after that id, as JSON, for
// signed-in users: what the run page polls when it cannot hold an event stream (the per-session cap, a proxy
// that buffers streams, a dropped connection).
import { signedInRun } from "@/lib/jobs/run-route";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const run = await signedInRun(params);
  if (run instanceof Response) return run;
  const { id, jobs, view } = run;
  const after = Number(new URL(request.url).searchParams.get("after") ?? 0);
  const logs = await jobs.logsSince(id, Number.isSafeInteger(after) && after > 0 ? after : 0, 500);
  return Response.json({ view, logs }, { headers: { "Cache-Control": "no-store" } });
}
