// /api/health is the readiness check: it answers 200 only once start-up recovery of stopped runs is done.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { JobService } from "@/lib/jobs";

const state = vi.hoisted(() => ({ readiness: { ready: true } as ReturnType<JobService["readiness"]>, recoverWorks: false, attempts: 0 }));
vi.mock("@/lib/jobs/service", () => ({
  getJobService: () => ({
    readiness: () => state.readiness,
    async recoverInterrupted() {
      state.attempts++;
      if (!state.recoverWorks) throw new Error("database is locked");
      state.readiness = { ready: true };
      return [];
    },
  }),
}));

beforeEach(() => {
  state.readiness = { ready: true };
  state.recoverWorks = false;
  state.attempts = 0;
});
afterEach(() => vi.resetModules());

describe("GET /api/health", () => {
  it("is 503 with the reason while runs a stopped process left are not recovered", async () => {
    state.readiness = { ready: false, reason: "recovery of stopped runs failed: disk I/O error" };
    const { GET } = await import("@/app/api/health/route");
    const res = await GET();
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "starting", reason: "recovery of stopped runs failed: disk I/O error" });
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(state.attempts).toBe(1);
  });

  it("tries a failed recovery again at the next probe and is ready once it succeeds", async () => {
    state.readiness = { ready: false, reason: "recovery of stopped runs failed: database is locked" };
    state.recoverWorks = true;
    const { GET } = await import("@/app/api/health/route");
    expect((await GET()).status).toBe(200);
  });

  it("is 200 once recovered", async () => {
    const { GET } = await import("@/app/api/health/route");
    const res = await GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });
});
