// GET /runs/[id]/view and /runs/[id]/log.txt: signed-in users only (401 signed out), 404 for an unknown run, the
// view with the log lines after a given id, and the whole log as a text download.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createJobService, type JobService } from "@/lib/jobs";
import { createEnvironment, FakeCloud, fakeStep } from "@/tests/jobs/support/fakes";
import { startApply } from "@/tests/jobs/support/plan";
import { routeDbPerTest } from "@/tests/support/route-db";

const state = vi.hoisted(() => ({ jobs: undefined as unknown, signedIn: true }));
vi.mock("@/lib/db", () => import("@/tests/support/route-db").then((m) => m.dbModule));
vi.mock("@/lib/jobs/service", () => ({ getJobService: () => state.jobs }));
vi.mock("@/lib/auth/current", () => ({
  userOr401: async () =>
    state.signedIn ? { id: "u1", username: "ada", role: "viewer" } : Response.json({ error: "sign in required" }, { status: 401 }),
}));

const t = routeDbPerTest();
let jobs: JobService;
const steps = [fakeStep("identity", new FakeCloud(), [])];
beforeEach(() => {
  state.signedIn = true;
  jobs = createJobService({ db: t.db, steps, heartbeatMs: 60_000 });
  state.jobs = jobs;
});

const params = (id: string) => ({ params: Promise.resolve({ id }) });
const view = async (id: string, after = "") =>
  (await import("@/app/runs/[id]/view/route")).GET(new Request(`http://console.test/runs/${id}/view${after}`), params(id));
const log = async (id: string) => (await import("@/app/runs/[id]/log.txt/route")).GET(new Request(`http://console.test/runs/${id}/log.txt`), params(id));

describe("run view and log download", () => {
  it("answer signed-in users with the run, 404 for an unknown run and 401 signed out", async () => {
    const env = await createEnvironment(t.db);
    const { runId } = await startApply(jobs, t.db, env.id, steps);
    await jobs.waitForRun(runId);

    const whole = await view(runId);
    expect(whole.status).toBe(200);
    const body = (await whole.json()) as { view: { id: string; status: string }; logs: { id: number }[] };
    expect(body.view).toMatchObject({ id: runId, status: (await jobs.runView(runId))?.status });
    expect(body.logs.length).toBeGreaterThan(1);
    const last = body.logs[body.logs.length - 1].id;
    const after = (await (await view(runId, `?after=${body.logs[0].id}`)).json()) as { logs: { id: number }[] };
    expect(after.logs.map((l) => l.id)).toEqual(body.logs.slice(1).map((l) => l.id));
    expect(after.logs.at(-1)?.id).toBe(last);

    const download = await log(runId);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toContain(`-apply-${runId.slice(0, 8)}-log.txt`);
    expect((await download.text()).split("\n").filter(Boolean).length).toBeGreaterThanOrEqual(body.logs.length);

    for (const answer of [await view("no-such-run"), await log("no-such-run")]) expect(answer.status).toBe(404);
    state.signedIn = false;
    for (const answer of [await view(runId), await log(runId)]) expect(answer.status).toBe(401);
  });
});
