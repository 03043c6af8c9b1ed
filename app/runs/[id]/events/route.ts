// GET /runs/[id]/events — server-sent events of a run's progress for signed-in users: a `view` (run and
// steps) whenever it changes and `logs` as lines are written; once the run has ended (no longer queued or
// running) the last view and logs are sent, then `end`, and the stream closes. All viewers of a run share one
// reader (lib/jobs/run-feed.ts), woken by the runner's in-process events, with a once-a-second read of the job
// store as the fallback (a run may be driven by another process). A session may hold a few streams at once;
// past that it gets a 429 and the run page polls GET /runs/[id]/view instead. The stream also ends with the session (checked every 30 s).
import { db } from "@/lib/db";
import { getJobService } from "@/lib/jobs/service";
import { getCurrentSession } from "@/lib/auth/current";
import { sessionIsLive } from "@/lib/auth/sessions";
import { StreamLimiter } from "@/lib/http/stream-limiter";
import { RunFeeds, type RunFeedSource } from "@/lib/jobs/run-feed";

export const dynamic = "force-dynamic";

const POLL_MS = 1000;
/** A stream outlives its request: the session is checked again this often, and the stream ends with it. */
const SESSION_RECHECK_MS = 30_000;
/** Open streams per session (a few tabs); the run page polls past this. */
const MAX_STREAMS_PER_SESSION = 4;

const g = globalThis as unknown as { __studioRunStreams?: StreamLimiter; __studioRunFeeds?: WeakMap<RunFeedSource, RunFeeds> };
const streams = (g.__studioRunStreams ??= new StreamLimiter(MAX_STREAMS_PER_SESSION));
/** The viewers' shared readers, per job service (one in the product; tests make one per test). */
function feeds(jobs: RunFeedSource): RunFeeds {
  const all = (g.__studioRunFeeds ??= new WeakMap());
  let mine = all.get(jobs);
  if (!mine) all.set(jobs, (mine = new RunFeeds(jobs, POLL_MS)));
  return mine;
}

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
  let closed = false;
  let leave = () => {};
  let close = () => {};

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: string, data: unknown) => {
        if (!closed) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      const recheck = setInterval(async () => {
        if (!(await sessionIsLive(db, session.tokenHash).catch(() => false))) close();
      }, SESSION_RECHECK_MS);
      close = () => {
        if (closed) return;
        closed = true;
        clearInterval(recheck);
        leave();
        release();
        try {
          controller.close();
        } catch {}
      };
      request.signal.addEventListener("abort", close);
      // Every viewer of this run shares one reader of it (lib/jobs/run-feed.ts).
      feeds(jobs)
        .join(id, {
          view: (view) => send("view", view),
          logs: (lines) => send("logs", lines),
          end: (status) => {
            if (status !== "gone") send("end", { status });
            close();
          },
        })
        .then(
          (detach) => {
            leave = detach;
            if (closed) detach();
          },
          () => close(),
        );
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
