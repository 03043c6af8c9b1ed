// Run history in pages (lib/environments/run-pages.ts): newest first, 30 to a page, whether an older page
// exists, one environment's history, and the page and environment parameters refused with their rule.
import { describe, expect, it, vi } from "vitest";
import { latestApply, listRunsPage, parseEnvironmentFilter, parsePageNumber, RUNS_PER_PAGE } from "@/lib/environments/run-pages";
import { createEnvironment } from "@/tests/jobs/support/fakes";
import { routeDbPerTest } from "@/tests/support/route-db";

vi.mock("@/lib/db", () => import("@/tests/support/route-db").then((m) => m.dbModule));
const t = routeDbPerTest();

async function seedRuns(environmentId: string, n: number, kind = "apply", from = 0) {
  await t.db.run.createMany({
    data: Array.from({ length: n }, (_, i) => ({
      id: `${environmentId}-run-${String(from + i).padStart(4, "0")}`,
      environmentId,
      kind,
      status: "succeeded",
      actor: "ada",
      createdAt: new Date(Date.UTC(2026, 0, 1) + (from + i) * 60_000),
    })),
  });
}

describe("run history pages", () => {
  it("newest first, 30 to a page, each run once, and no older page after the last", async () => {
    const env = await createEnvironment(t.db);
    await seedRuns(env.id, 65);
    const pages = [await listRunsPage(1), await listRunsPage(2), await listRunsPage(3)];
    expect(pages.map((p) => p.runs.length)).toEqual([RUNS_PER_PAGE, RUNS_PER_PAGE, 5]);
    expect(pages.map((p) => p.hasOlder)).toEqual([true, true, false]);
    const ids = pages.flatMap((p) => p.runs.map((r) => r.id));
    expect(new Set(ids).size).toBe(65);
    expect(ids[0]).toBe(`${env.id}-run-0064`);
    expect(ids.at(-1)).toBe(`${env.id}-run-0000`);
    expect(pages[0].runs[0].environment).toEqual({ id: env.id, name: "staging" });
    expect((await listRunsPage(4)).runs).toEqual([]);
  });

  it("one environment's history leaves the others out; its latest apply is found past a page of verifies", async () => {
    const a = await createEnvironment(t.db, "staging");
    const b = await createEnvironment(t.db, "production");
    await seedRuns(a.id, 3);
    await seedRuns(a.id, 40, "verify", 3);
    await seedRuns(b.id, 4);
    const page = await listRunsPage(1, b.id);
    expect(page.runs.map((r) => r.environment.id)).toEqual([b.id, b.id, b.id, b.id]);
    expect(page.hasOlder).toBe(false);
    expect((await latestApply(a.id))?.id).toBe(`${a.id}-run-0002`);
  });

  it("page and environment parameters: absent is the default, anything else is refused naming the rule", () => {
    expect(parsePageNumber(undefined)).toEqual({ ok: true, page: 1 });
    expect(parsePageNumber("7")).toEqual({ ok: true, page: 7 });
    expect(parsePageNumber(["2", "3"])).toEqual({ ok: true, page: 2 });
    for (const bad of ["0", "-1", "1.5", "abc", "1e3", "100001", "9999999", " 2"])
      expect(parsePageNumber(bad)).toEqual({ ok: false, error: "page must be a whole number from 1 to 100000" });
    expect(parseEnvironmentFilter(undefined)).toEqual({ ok: true, environmentId: null });
    expect(parseEnvironmentFilter("cmx7k4cdj0000vs7d9wvtfc2e")).toEqual({ ok: true, environmentId: "cmx7k4cdj0000vs7d9wvtfc2e" });
    for (const bad of ["a'b", "../x", "x".repeat(65), "a b"])
      expect(parseEnvironmentFilter(bad)).toEqual({ ok: false, error: "environment must be an environment's id (letters, digits, - and _)" });
  });
});
