// GET /runs/[id]/events — server-sent events of a run's progress for signed-in users: a `view` (run and
// steps) whenever it changes and `logs` as lines are written. Woken by the runner's in-process events, with a
// once-a-second read of the job store as the fallback (a run may be driven by another process).
import { cookies } from "next/headers";
import { db } from "@/lib/db";
import { getJobService } from "@/lib/jobs/service";
import { userOr401 } from "@/lib/auth/current";
import { sessionSecret } from "@/lib/auth/secret";
import { SESSION_COOKIE, userForCookie } from "@/lib/auth/sessions";

export const dynamic = "force-dynamic";

const POLL_MS = 1000;
/** A stream outlives its request: the session is checked again this often, and the stream ends with it. */
const SESSION_RECHECK_MS = 30_000;

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await userOr401();
  if (user instanceof Response) return user;
  const { id } = await params;
  const jobs = getJobService();
  if (!(await jobs.runView(id))) return Response.json({ error: "no such run" }, { status: 404 });
  const cookie = (await cookies()).get(SESSION_COOKIE)?.value;

  const encoder = new TextEncoder();
  let lastView = "";
  let lastLogId = 0;
  let closed = false;
  let flushing: Promise<void> | null = null;
  let again = false;

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: string, data: unknown) => controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      const flushOnce = async () => {
        const view = await jobs.runView(id);
        const json = JSON.stringify(view);
        if (json !== lastView) {
          lastView = json;
          send("view", view);
        }
        const logs = await jobs.logsSince(id, lastLogId);
        if (logs.length) {
          lastLogId = logs[logs.length - 1].id;
          send("logs", logs);
        }
      };
      // One flush at a time; a wake-up during a flush runs one more afterwards.
      const flush = () => {
        if (closed) return;
        if (flushing) {
          again = true;
          return;
        }
        flushing = flushOnce()
          .catch(() => undefined)
          .finally(() => {
            flushing = null;
            if (again && !closed) {
              again = false;
              flush();
            }
          });
      };
      const unsubscribe = jobs.subscribe(id, flush);
      const timer = setInterval(flush, POLL_MS);
      const recheck = setInterval(async () => {
        if (!(await userForCookie(db, cookie, sessionSecret()))) close();
      }, SESSION_RECHECK_MS);
      const close = () => {
        if (closed) return;
        closed = true;
        clearInterval(timer);
        clearInterval(recheck);
        unsubscribe();
        try {
          controller.close();
        } catch {}
      };
      request.signal.addEventListener("abort", close);
      flush();
    },
  });

  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive" },
  });
}
