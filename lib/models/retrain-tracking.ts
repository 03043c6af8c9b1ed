import "server-only";
// The retrain checklist, tracked per environment: each tick is an audit event (`models.retrain-item`, who and
// when), and an item's state is its newest event. No table of its own: the audit trail already says who did it.
import { db } from "@/lib/db";
import { RETRAIN_CHECKLIST } from "./storage-plan";

export const RETRAIN_ITEM_ACTION = "models.retrain-item";

export interface RetrainItemState {
  id: string;
  text: string;
  done: boolean;
  by?: string;
  at?: Date;
}

export async function retrainChecklist(environmentId: string): Promise<RetrainItemState[]> {
  const events = await db.auditEvent.findMany({ where: { environmentId, action: RETRAIN_ITEM_ACTION }, orderBy: { id: "desc" } });
  const newest = new Map<string, { done: boolean; by: string; at: Date }>();
  for (const e of events) {
    let detail: { item?: unknown; done?: unknown };
    try {
      detail = JSON.parse(e.detail ?? "{}");
    } catch {
      continue;
    }
    if (typeof detail.item === "string" && !newest.has(detail.item)) newest.set(detail.item, { done: detail.done === true, by: e.actor, at: e.at });
  }
  return RETRAIN_CHECKLIST.map((i) => ({ ...i, done: false, ...newest.get(i.id) }));
}
