// GET /runs/[id]/log.txt — a run's whole log as a text download, for signed-in users (the lines were redacted
// when they were written). Read in pages so a long run's log is not one unbounded query.
import { userOr401 } from "@/lib/auth/current";
import { attachment } from "@/lib/environments";
import { getJobService } from "@/lib/jobs/service";
import { logText } from "@/lib/jobs/log-text";
import type { LogLine } from "@/lib/jobs";

export const dynamic = "force-dynamic";

const PAGE = 1000;

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await userOr401();
  if (user instanceof Response) return user;
  const { id } = await params;
  const jobs = getJobService();
  const view = await jobs.runView(id);
  if (!view) return Response.json({ error: "no such run" }, { status: 404 });
  const lines: LogLine[] = [];
  for (let after = 0; ; ) {
    const page = await jobs.logsSince(id, after, PAGE);
    lines.push(...page);
    if (page.length < PAGE) break;
    after = page[page.length - 1].id;
  }
  const titles = new Map(view.steps.map((s) => [s.key as string, s.title ?? s.key]));
  // The run id is a cuid: letters and digits only, safe inside the quoted file name.
  return attachment(logText(lines, titles), `${view.environmentName}-${view.kind}-${view.id.slice(0, 8)}-log.txt`, "text/plain");
}
