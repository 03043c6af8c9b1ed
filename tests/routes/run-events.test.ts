// GET /runs/[id]/events: the stream ends when the run ends (a last `view`, the last `logs`, then `end`), and
// each session may hold only a few streams at once (the run page falls back to polling past that).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createJobService, type JobService } from "@/lib/jobs";
import type { Step } from "@/lib/steps/types";
import { createEnvironment, deferred, FakeCloud, fakeStep, within } from "@/tests/jobs/support/fakes";
import { startApply } from "@/tests/jobs/support/plan";
import { routeDbPerTest } from "@/tests/support/route-db";

const state = vi.hoisted(() => ({ jobs: undefined as unknown, token: "session-a" }));
vi.mock("@/lib/db", () => import("@/tests/support/route-db").then((m) => m.dbModule));
vi.mock("@/lib/jobs/service", () => ({ getJobService: () => state.jobs }));
vi.mock("@/lib/auth/current", () => ({
  userOr401: async () => ({ id: "u1", username: "ada", role: "viewer" }),
  getCurrentSession: async () => ({ tokenHash: state.token, user: { id: "u1", username: "ada", role: "viewer" } }),
}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => ({ value: "sealed-cookie" }) }) }));
vi.mock("@/lib/auth/sessions", async (load) => ({
  ...(await load<typeof import("@/lib/auth/sessions")>()),
  userForCookie: async () => ({ id: "u1", username: "ada", role: "viewer" }),
  sessionIsLive: async () => true,
}));

const t = routeDbPerTest();
let jobs: JobService;
let steps: Step[] = [];
let release = deferred();

beforeEach(() => {
  release = deferred();
  state.token = "session-a";
  steps = [fakeStep("identity", new FakeCloud(), [], { execute: async (_c, _n, make) => (await release.promise, make()) })];
  jobs = createJobService({
    db: t.db,
    steps,
    heartbeatMs: 60_000,
  });
  state.jobs = jobs;
});
afterEach(() => release.resolve());

const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function open(runId: string, signal?: AbortSignal) {
  const { GET } = await import("@/app/runs/[id]/events/route");
  return GET(new Request(`http://console.test/runs/${runId}/events`, { signal }), params(runId));
}

/** Reads the stream to its end and returns the event names in order. */
async function eventsUntilEnd(res: Response): Promise<string[]> {
  const text = await new Response(res.body).text();
  return [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
}

describe("run event streams", () => {
  it("end when the run has ended: view, logs, then end", async () => {
    release.resolve();
    const env = await createEnvironment(t.db);
    const { runId } = await startApply(jobs, t.db, env.id, steps);
    await jobs.waitForRun(runId);
    const res = await open(runId);
    expect(res.status).toBe(200);
    const events = await within(eventsUntilEnd(res), "the stream of a finished run to end", 5000);
    expect(events[0]).toBe("view");
    expect(events).toContain("logs");
    expect(events.at(-1)).toBe("end");
  });

  it("end once a running run finishes", async () => {
    const local = deferred();
    const env = await createEnvironment(t.db);
    steps = [fakeStep("identity", new FakeCloud(), [], { execute: async (_c, _n, make) => (await local.promise, make()) })];
    jobs = createJobService({ db: t.db, steps });
    state.jobs = jobs;
    const { runId } = await startApply(jobs, t.db, env.id, steps);
    const res = await open(runId);
    const events = eventsUntilEnd(res);
    local.resolve();
    const seen = await within(events, "the stream to end after the run", 10_000);
    expect(seen.at(-1)).toBe("end");
  });

  it("are capped per session: past the cap a 429 says to poll; other sessions are unaffected; a closed one frees a place", async () => {
    const env = await createEnvironment(t.db);
    const { runId } = await startApply(jobs, t.db, env.id, steps);
    const aborts = Array.from({ length: 4 }, () => new AbortController());
    const held = [];
    for (const a of aborts) held.push(await open(runId, a.signal));
    expect(held.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const refused = await open(runId);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: "too many live views open in this session: this page updates by polling instead" });
    state.token = "session-b";
    expect((await open(runId)).status).toBe(200);
    state.token = "session-a";
    aborts[0].abort();
    await new Promise((r) => setTimeout(r, 20));
    expect((await open(runId)).status).toBe(200);
  });

  it("share one reader among all viewers of a run: each gets every line and the end; reads do not grow with viewers", async () => {
    const local = deferred();
    const env = await createEnvironment(t.db);
    steps = [fakeStep("identity", new FakeCloud(), [], { execute: async (_c, _n, make) => (await local.promise, make()) })];
    const real = createJobService({ db: t.db, steps, heartbeatMs: 60_000 });
    let reads = 0;
    jobs = { ...real, logsSince: (...a: Parameters<JobService["logsSince"]>) => (reads++, real.logsSince(...a)) };
    state.jobs = jobs;
    const { runId } = await startApply(jobs, t.db, env.id, steps);
    const bodies: Promise<string>[] = [];
    for (let i = 0; i < 12; i++) {
      state.token = `viewer-session-${i % 3}`;
      const res = await open(runId);
      expect(res.status).toBe(200);
      bodies.push(new Response(res.body).text());
    }
    await new Promise((r) => setTimeout(r, 100));
    const joined = reads;
    local.resolve();
    const texts = await within(Promise.all(bodies), "every stream to end", 10_000);
    const finalLines = (await real.logsSince(runId, 0)).map((l) => l.id);
    for (const text of texts) {
      const ids = [...text.matchAll(/^event: logs\ndata: (.*)$/gm)].flatMap((m) => (JSON.parse(m[1]) as { id: number }[]).map((l) => l.id));
      expect(ids).toEqual(finalLines);
      expect(text.trimEnd().split("\n\n").at(-1)).toMatch(/^event: end\n/);
    }
    // The run's finish wrote a few lines: read by the shared reader a handful of times, not 12 × per change.
    expect(reads - joined).toBeLessThan(12);
  });
});
