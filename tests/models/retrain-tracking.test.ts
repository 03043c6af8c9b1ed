// The retrain checklist per environment: every item starts not done; the newest tick of an item wins, with who
// and when; ticks of another environment do not count.
import { describe, expect, it, vi } from "vitest";
import { routeDbPerTest } from "@/tests/support/route-db";

vi.mock("@/lib/db", () => import("@/tests/support/route-db").then((m) => m.dbModule));
const t = routeDbPerTest();

describe("retrain checklist tracking", () => {
  it("reads each item's newest tick", async () => {
    const { retrainChecklist, RETRAIN_ITEM_ACTION } = await import("@/lib/models/retrain-tracking");
    const env = await t.db.environment.create({ data: { name: "staging" } });
    const other = await t.db.environment.create({ data: { name: "production" } });
    expect((await retrainChecklist(env.id)).every((i) => !i.done)).toBe(true);
    const tick = (environmentId: string, actor: string, item: string, done: boolean) =>
      t.db.auditEvent.create({ data: { actor, action: RETRAIN_ITEM_ACTION, environmentId, detail: JSON.stringify({ item, done }) } });
    await tick(env.id, "ada", "schedule", true);
    await tick(env.id, "ada", "retrain", true);
    await tick(env.id, "bob", "retrain", false);
    await tick(other.id, "ada", "deploy", true);
    const items = Object.fromEntries((await retrainChecklist(env.id)).map((i) => [i.id, i]));
    expect(items.schedule).toMatchObject({ done: true, by: "ada" });
    expect(items.retrain).toMatchObject({ done: false, by: "bob" });
    expect(items.deploy.done).toBe(false);
    expect(Object.keys(items)).toEqual(["unaffected", "list-assistants", "schedule", "helm-upgrade", "retrain", "deploy"]);
  });
});
