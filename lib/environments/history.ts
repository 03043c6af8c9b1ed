// Run history for the pages: newest first, with each run's environment.
import "server-only";
import { db } from "../db";

export function listRuns(opts: { environmentId?: string; take?: number } = {}) {
  return db.run.findMany({
    where: opts.environmentId ? { environmentId: opts.environmentId } : {},
    orderBy: { createdAt: "desc" },
    take: opts.take ?? 200,
    include: { environment: { select: { id: true, name: true } } },
  });
}
