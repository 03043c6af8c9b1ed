// GET /runs/[id]/log.txt — a run's whole log as a text download, for signed-in users (the lines were redacted
// when they were written). Read in pages so a long run's log is not one unbounded query.
import { attachment } from "@/lib/environments";
import { signedInRun } from "@/lib/jobs/run-route";
import { logText } from "@/lib/jobs/log-text";
import type { LogLine } from "@/lib/jobs";

export const dynamic = "force-dynamic";

const PAGE = 1000;

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const run = await signedInRun(params);
  if (run instanceof Response) return run;
  const { id, jobs, view } = run;
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
