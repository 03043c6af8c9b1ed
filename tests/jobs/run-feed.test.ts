// lib/jobs/run-feed.ts: every viewer of a run is served by one reader of it. Each viewer gets the snapshot,
// then every line once and in order, then `end`; the reads per change do not grow with the number of viewers;
// a viewer that joins while the feed is reading loses nothing and sees nothing twice.
import { describe, expect, it } from "vitest";
import type { LogLine, RunListener } from "@/lib/jobs/events";
import { RunFeeds, type RunFeedSource, type RunViewer } from "@/lib/jobs/run-feed";
import type { RunView } from "@/lib/jobs/view";
import { until } from "@/tests/support/until";

const settle = () => new Promise((r) => setTimeout(r, 5));

/** A run in memory with counted reads; `write` appends a line and wakes subscribers as the runner does. */
class FakeRun implements RunFeedSource {
  status = "running";
  lines: LogLine[] = [];
  reads = { view: 0, logs: 0 };
  private listeners = new Set<RunListener>();
  /** When set, the next logsSince waits for it (a slow read, to let a viewer join meanwhile). */
  gate: Promise<void> | null = null;

  async runView(runId: string): Promise<RunView | null> {
    this.reads.view++;
    return { id: runId, status: this.status, steps: [] } as unknown as RunView;
  }
  async logsSince(runId: string, afterId = 0): Promise<LogLine[]> {
    this.reads.logs++;
    const gate = this.gate;
    this.gate = null;
    const lines = this.lines.filter((l) => l.id > afterId);
    if (gate) await gate;
    return lines;
  }
  subscribe(_runId: string, listener: RunListener) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
  write(message: string, id = (this.lines.at(-1)?.id ?? 0) + 1) {
    const line: LogLine = { id, runId: "r1", stepKey: null, level: "info", message, requestId: null, at: new Date().toISOString() };
    this.lines.push(line);
    for (const l of this.listeners) l({ type: "log", runId: "r1", line });
  }
  finish() {
    this.status = "succeeded";
    for (const l of this.listeners) l({ type: "run", runId: "r1", status: "succeeded", error: null });
  }
  get subscribers() {
    return this.listeners.size;
  }
}

class Recorder implements RunViewer {
  views = 0;
  ids: number[] = [];
  ended: string | null = null;
  view() {
    this.views++;
  }
  logs(lines: LogLine[]) {
    this.ids.push(...lines.map((l) => l.id));
  }
  end(status: string) {
    this.ended = status;
  }
}

describe("run feeds", () => {
  it("serve 50 viewers with one read per change: every line once, in order, then end", async () => {
    const run = new FakeRun();
    run.write("before anyone watched");
    const feeds = new RunFeeds(run, 60_000);
    const viewers = Array.from({ length: 50 }, () => new Recorder());
    for (const v of viewers) await feeds.join("r1", v);
    expect(feeds.viewers("r1")).toBe(50);
    await settle();
    const before = { ...run.reads };
    for (let i = 0; i < 10; i++) {
      run.write(`line ${i}`);
      await until(() => viewers.every((v) => v.ids.at(-1) === run.lines.length), `line ${i} at every viewer`);
    }
    // Lines written in order travel in their events: no read at all, whatever the audience.
    expect(run.reads).toEqual(before);
    run.finish();
    await until(() => viewers.every((v) => v.ended === "succeeded"), "end at every viewer");
    for (const v of viewers) expect(v.ids).toEqual(run.lines.map((l) => l.id));
    expect(feeds.viewers("r1")).toBe(0);
    expect(run.subscribers).toBe(0);
  });

  it("a gap in the ids (another run's line in between) costs one read for all viewers, and nothing is lost", async () => {
    const run = new FakeRun();
    const feeds = new RunFeeds(run, 60_000);
    const viewers = Array.from({ length: 20 }, () => new Recorder());
    for (const v of viewers) await feeds.join("r1", v);
    await settle();
    run.write("first");
    await until(() => viewers.every((v) => v.ids.length === 1), "the first line");
    const before = { ...run.reads };
    run.write("after another run's line", 5);
    await until(() => viewers.every((v) => v.ids.length === 2), "the line after the gap");
    expect(run.reads.view - before.view).toBe(1);
    expect(run.reads.logs - before.logs).toBeLessThanOrEqual(2);
    for (const v of viewers) expect(v.ids).toEqual([1, 5]);
  });

  it("a viewer joining while the feed reads gets the snapshot and every later line exactly once", async () => {
    const run = new FakeRun();
    const feeds = new RunFeeds(run, 60_000);
    const first = new Recorder();
    await feeds.join("r1", first);
    await settle();
    // The feed's next read is slow; a line is written and a second viewer joins while it is under way.
    let open = () => {};
    run.gate = new Promise<void>((r) => (open = r));
    run.write("one");
    await settle();
    const second = new Recorder();
    const joined = feeds.join("r1", second);
    run.write("two");
    open();
    await joined;
    run.write("three");
    await until(() => first.ids.length === 3 && second.ids.length === 3, "three lines at both viewers");
    expect(first.ids).toEqual([1, 2, 3]);
    expect(second.ids).toEqual([1, 2, 3]);
  });

  it("a run that already ended: snapshot then end, and no feed is left behind", async () => {
    const run = new FakeRun();
    run.write("done");
    run.status = "failed";
    const feeds = new RunFeeds(run, 60_000);
    const v = new Recorder();
    await feeds.join("r1", v);
    expect(v.views).toBe(1);
    expect(v.ids).toEqual([1]);
    expect(v.ended).toBe("failed");
    expect(feeds.viewers("r1")).toBe(0);
    expect(run.subscribers).toBe(0);
  });

  it("a viewer that leaves stops receiving; the last one to leave closes the feed", async () => {
    const run = new FakeRun();
    const feeds = new RunFeeds(run, 60_000);
    const a = new Recorder();
    const b = new Recorder();
    const leaveA = await feeds.join("r1", a);
    const leaveB = await feeds.join("r1", b);
    leaveA();
    run.write("after a left");
    await until(() => b.ids.length === 1, "the line at b");
    expect(a.ids).toEqual([]);
    leaveB();
    expect(run.subscribers).toBe(0);
  });

  it("one broken viewer does not stop the others", async () => {
    const run = new FakeRun();
    const feeds = new RunFeeds(run, 60_000);
    const broken = new Recorder();
    const fine = new Recorder();
    await feeds.join("r1", broken);
    await feeds.join("r1", fine);
    broken.logs = () => {
      throw new Error("stream closed");
    };
    run.write("x");
    await until(() => fine.ids.length === 1, "the line at the working viewer");
    expect(feeds.viewers("r1")).toBe(1);
  });
});
