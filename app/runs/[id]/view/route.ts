// GET /runs/[id]/view?after=<log id> — the run (steps included) and its log lines after that id, as JSON, for
// signed-in users: what the run page polls when it cannot hold an event stream (the per-session cap, a proxy
// that buffers streams, a dropped connection).
import { userOr401 } from "@/lib/auth/current";
import { getJobService } from "@/lib/jobs/service";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await userOr401();
  if (user instanceof Response) return user;
  const { id } = await params;
  const jobs = getJobService();
  const view = await jobs.runView(id);
  if (!view) return Response.json({ error: "no such run" }, { status: 404 });
  const after = Number(new URL(request.url).searchParams.get("after") ?? 0);
  const logs = await jobs.logsSince(id, Number.isSafeInteger(after) && after > 0 ? after : 0, 500);
  return Response.json({ view, logs }, { headers: { "Cache-Control": "no-store" } });
}
