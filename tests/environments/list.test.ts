// The environments list: each environment with its newest apply or teardown run (its state comes from it), picked
// in SQL; verify and access runs do not change what an environment is.
import { describe, expect, it, vi } from "vitest";
import { routeDbPerTest } from "@/tests/support/route-db";

vi.mock("@/lib/db", () => import("@/tests/support/route-db").then((m) => m.dbModule));
const t = routeDbPerTest();

async function run(environmentId: string, id: string, kind: string, status: string, minutesAgo: number) {
  const createdAt = new Date(Date.now() - minutesAgo * 60_000);
  await t.db.run.create({ data: { id, environmentId, kind, status, actor: "ada", createdAt } });
}

describe("listEnvironments", () => {
  it("gives each environment its newest apply or teardown, ignoring later verify runs, and null without one", async () => {
    const prod = await t.db.environment.create({ data: { name: "production" } });
    const staging = await t.db.environment.create({ data: { name: "staging" } });
    const fresh = await t.db.environment.create({ data: { name: "dev" } });
    await run(staging.id, "s-old", "apply", "failed", 30);
    await run(staging.id, "s-new", "apply", "succeeded", 20);
    await run(staging.id, "s-verify", "verify", "failed", 10);
    await run(prod.id, "p-apply", "apply", "succeeded", 40);
    await run(prod.id, "p-teardown", "teardown", "running", 5);
    await run(fresh.id, "d-verify", "verify", "succeeded", 1);
    const { listEnvironments } = await import("@/lib/environments/store");
    const list = await listEnvironments();
    expect(list.map((e) => [e.name, e.lastChange?.id ?? null, e.lastChange?.kind ?? null, e.lastChange?.status ?? null])).toEqual([
      ["dev", null, null, null],
      ["production", "p-teardown", "teardown", "running"],
      ["staging", "s-new", "apply", "succeeded"],
    ]);
    expect(list[2].lastChange?.createdAt).toBeInstanceOf(Date);
  });
});
