import "server-only";
// What the environment page shows about the cluster: the checks of the newest cluster check run, and when the
// roles last changed by the console's own record (the newest apply that succeeded).
import { db } from "@/lib/db";
import type { ClusterCheck } from "@/lib/k8s/checks";

export interface LatestClusterCheck {
  runId: string;
  status: string;
  at: Date;
  checks: ClusterCheck[];
}

export async function latestClusterCheck(environmentId: string): Promise<LatestClusterCheck | null> {
  const run = await db.run.findFirst({
    where: { environmentId, kind: "cluster-check" },
    orderBy: { createdAt: "desc" },
    include: { steps: { where: { key: "cluster-check" } } },
  });
  if (!run) return null;
  let checks: ClusterCheck[] = [];
  try {
    const output = JSON.parse(run.steps[0]?.output ?? "{}") as { clusterChecks?: ClusterCheck[] };
    checks = Array.isArray(output.clusterChecks) ? output.clusterChecks : [];
  } catch {
    checks = [];
  }
  return { runId: run.id, status: run.status, at: run.finishedAt ?? run.createdAt, checks };
}

/** When the last apply succeeded: pods started before it may still run without the role. */
export async function lastAppliedAt(environmentId: string): Promise<Date | undefined> {
  const run = await db.run.findFirst({ where: { environmentId, kind: "apply", status: "succeeded" }, orderBy: { finishedAt: "desc" } });
  return run?.finishedAt ?? undefined;
}
