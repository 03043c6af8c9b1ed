// One reader per watched run, fanned out to every viewer of it. Without it each open event stream read the run's
// view and new log lines from the job store on every change: 50 viewers made 100 reads per log line and a line
// reached the last of them 250 ms after it was written. The feed reads once per change (woken by the runner's
// in-process events, or once a second when another process drives the run) and hands the result to all; a
// line whose event carries it in order needs no read at all.
//
// A viewer that joins takes its own snapshot (view and every line so far) while already attached: whatever the
// feed reads meanwhile is held and replayed after the snapshot, lines it already has dropped by id. Nothing is
// lost between the two and nothing is sent twice, without making the feed wait for the newcomer.
import type { LogLine, RunEvent, RunListener } from "./events";
import type { RunView } from "./view";

export interface RunFeedSource {
  runView(runId: string): Promise<RunView | null>;
  logsSince(runId: string, afterId?: number): Promise<LogLine[]>;
  subscribe(runId: string, listener: RunListener): () => void;
}

export interface RunViewer {
  view(view: RunView): void;
  logs(lines: LogLine[]): void;
  /** The run has ended (or is gone): every line was sent; the viewer closes. */
  end(status: string): void;
}

type FeedEvent = { kind: "view"; view: RunView; json: string } | { kind: "logs"; lines: LogLine[] } | { kind: "end"; status: string };

const ACTIVE = new Set(["queued", "running"]);

class Member {
  lastLogId = 0;
  lastView = "";
  ended = false;
  /** Events the feed read while this viewer was taking its snapshot; null once it is live. */
  held: FeedEvent[] | null = [];
  constructor(readonly viewer: RunViewer) {}

  deliver(e: FeedEvent): void {
    if (this.ended) return;
    if (this.held) return void this.held.push(e);
    if (e.kind === "view") {
      if (e.json === this.lastView) return;
      this.lastView = e.json;
      this.viewer.view(e.view);
    } else if (e.kind === "logs") {
      const fresh = e.lines.filter((l) => l.id > this.lastLogId);
      if (!fresh.length) return;
      this.lastLogId = fresh[fresh.length - 1].id;
      this.viewer.logs(fresh);
    } else {
      this.ended = true;
      this.viewer.end(e.status);
    }
  }

  goLive(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const e of held) this.deliver(e);
  }
}

class Feed {
  readonly members = new Set<Member>();
  private cursor = 0;
  private lastView = "";
  private flushing = false;
  private again = false;
  private closed = false;
  private readonly unsubscribe: () => void;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly source: RunFeedSource,
    private readonly runId: string,
    pollMs: number,
    private readonly dispose: () => void,
  ) {
    this.unsubscribe = source.subscribe(runId, (event) => this.onEvent(event));
    this.timer = setInterval(() => this.flush(), pollMs);
    this.timer.unref?.();
  }

  private broadcast(e: FeedEvent): void {
    for (const m of [...this.members]) {
      // A viewer whose stream broke must not stop the others.
      try {
        m.deliver(e);
      } catch {
        this.members.delete(m);
      }
    }
  }

  /**
   * A line the runner just wrote, carried by its event, goes out as it is when it is the very next one (ids are
   * the store's, so a gap means another run's line, or one still being written, in between): no read at all.
   * Anything else (a step or run change, a gap, a read under way) is one read for everyone.
   */
  private onEvent(event: RunEvent): void {
    if (event.type === "log" && !this.flushing && !this.closed) {
      if (event.line.id <= this.cursor) return;
      if (event.line.id === this.cursor + 1) {
        this.cursor = event.line.id;
        return this.broadcast({ kind: "logs", lines: [event.line] });
      }
    }
    this.flush();
  }

  /** One read of the run for everyone; a wake-up during a read runs one more read afterwards. */
  flush(): void {
    if (this.closed) return;
    if (this.flushing) {
      this.again = true;
      return;
    }
    this.flushing = true;
    this.read()
      .catch(() => undefined)
      .finally(() => {
        this.flushing = false;
        if (this.again && this.members.size) {
          this.again = false;
          this.flush();
        }
      });
  }

  private async read(): Promise<void> {
    const view = await this.source.runView(this.runId);
    if (!view) return this.finish("gone");
    const json = JSON.stringify(view);
    if (json !== this.lastView) {
      this.lastView = json;
      this.broadcast({ kind: "view", view, json });
    }
    for (;;) {
      const lines = await this.source.logsSince(this.runId, this.cursor);
      if (!lines.length) break;
      this.cursor = lines[lines.length - 1].id;
      this.broadcast({ kind: "logs", lines });
    }
    if (!ACTIVE.has(view.status)) this.finish(view.status);
  }

  private finish(status: string): void {
    this.broadcast({ kind: "end", status });
    this.close();
  }

  leave(m: Member): void {
    this.members.delete(m);
    if (!this.members.size) this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.members.clear();
    clearInterval(this.timer);
    this.unsubscribe();
    this.dispose();
  }
}

export class RunFeeds {
  private readonly feeds = new Map<string, Feed>();

  constructor(
    private readonly source: RunFeedSource,
    private readonly pollMs = 1000,
  ) {}

  private open(runId: string): Feed {
    const feed: Feed = new Feed(this.source, runId, this.pollMs, () => {
      if (this.feeds.get(runId) === feed) this.feeds.delete(runId);
    });
    this.feeds.set(runId, feed);
    return feed;
  }

  /** Viewers of a run right now (for tests and benchmarks). */
  viewers(runId: string): number {
    return this.feeds.get(runId)?.members.size ?? 0;
  }

  /**
   * Sends the viewer the run's view and every line so far, then each change as the run's feed reads it, then
   * `end`. Returns the function that detaches it (its stream closed).
   */
  async join(runId: string, viewer: RunViewer): Promise<() => void> {
    const feed = this.feeds.get(runId) ?? this.open(runId);
    const member = new Member(viewer);
    feed.members.add(member);
    const leave = () => feed.leave(member);
    try {
      const view = await this.source.runView(runId);
      if (!view) {
        member.held = null;
        member.deliver({ kind: "end", status: "gone" });
        leave();
        return leave;
      }
      const json = JSON.stringify(view);
      member.lastView = json;
      viewer.view(view);
      for (;;) {
        const lines = await this.source.logsSince(runId, member.lastLogId);
        if (!lines.length) break;
        member.lastLogId = lines[lines.length - 1].id;
        viewer.logs(lines);
      }
      if (!ACTIVE.has(view.status)) {
        // Ended before it was watched: the snapshot is everything there is.
        member.held = null;
        member.deliver({ kind: "end", status: view.status });
        leave();
        return leave;
      }
      member.goLive();
      // The first viewer wakes the feed so it starts from where the run is now.
      feed.flush();
    } catch (error) {
      leave();
      throw error;
    }
    return leave;
  }
}
