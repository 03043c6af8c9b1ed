// GET /runs/[id]/events — server-sent events of a run's progress for signed-in users: a `view` (run and
// steps) whenever it changes and `logs` as lines are written; once the run has ended (no longer queued or
// running) the last view and logs are sent, then `end`, and the stream closes. Woken by the runner's
// in-process events, with a once-a-second read of the job store as the fallback (a run may be driven by
// another process). A session may hold a few streams at once; past that it gets a 429 and the run page polls
// GET /runs/[id]/view instead. The stream also ends with the session (checked every 30 s).
import { db } from "@/lib/db";
import { getJobService } from "@/lib/jobs/service";
import { getCurrentSession } from "@/lib/auth/current";
import { sessionIsLive } from "@/lib/auth/sessions";
import { StreamLimiter } from "@/lib/http/stream-limiter";

export const dynamic = "force-dynamic";

const POLL_MS = 1000;
/** A stream outlives its request: the session is checked again this often, and the stream ends with it. */
const SESSION_RECHECK_MS = 30_000;
/** Open streams per session (a few tabs); the run page polls past this. */
const MAX_STREAMS_PER_SESSION = 4;
const ACTIVE = new Set(["queued", "running"]);

const g = globalThis as unknown as { __studioRunStreams?: StreamLimiter };
const streams = (g.__studioRunStreams ??= new StreamLimiter(MAX_STREAMS_PER_SESSION));

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await getCurrentSession();
  if (!session) return Response.json({ error: "sign in required" }, { status: 401 });
  if (session.user.mustChangePassword) return Response.json({ error: "choose a new password first" }, { status: 403 });
  const { id } = await params;
  const jobs = getJobService();
  if (!(await jobs.runView(id))) return Response.json({ error: "no such run" }, { status: 404 });
  const release = streams.acquire(session.tokenHash);
  if (!release)
    return Response.json(
      { error: "too many live views open in this session: this page updates by polling instead" },
      { status: 429, headers: { "Retry-After": "30" } },
    );

  const encoder = new TextEncoder();
  let lastView = "";
  let lastLogId = 0;
  let closed = false;
  let flushing: Promise<void> | null = null;
  let again = false;
  let close = () => {};

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: string, data: unknown) => controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      const flushOnce = async () => {
        const view = await jobs.runView(id);
        if (!view) return close();
        const json = JSON.stringify(view);
        if (json !== lastView) {
          lastView = json;
          send("view", view);
        }
        // Read until no more lines: a finished run's last lines all go out before `end`.
        for (;;) {
          const logs = await jobs.logsSince(id, lastLogId);
          if (!logs.length) break;
          lastLogId = logs[logs.length - 1].id;
          send("logs", logs);
        }
        if (!ACTIVE.has(view.status)) {
          send("end", { status: view.status });
          close();
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
        if (!(await sessionIsLive(db, session.tokenHash).catch(() => false))) close();
      }, SESSION_RECHECK_MS);
      close = () => {
        if (closed) return;
        closed = true;
        clearInterval(timer);
        clearInterval(recheck);
        unsubscribe();
        release();
        try {
          controller.close();
        } catch {}
      };
      request.signal.addEventListener("abort", close);
      flush();
    },
    cancel() {
      // The reader went away (the abort listener usually gets there first; closing twice is harmless).
      close();
    },
  });

  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive" },
  });
}
