// What the wizard offers in its pickers, read from AWS with a short time budget: a slow or failing look-up
// must never block the form (everything stays typeable), it only explains itself.
import "server-only";
import { callerIdentity, listBuckets, listClusters, listDatabases } from "./aws/inventory";

const BUDGET_MS = 4000;

export type Lookup<T> = { ok: true; value: T } | { ok: false; error: string };

export async function lookup<T>(what: string, fn: () => Promise<T>): Promise<Lookup<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${BUDGET_MS / 1000} s`)), BUDGET_MS);
  });
  try {
    return { ok: true, value: await Promise.race([fn(), timeout]) };
  } catch (err) {
    return { ok: false, error: (err as Error).message || String(err) };
  } finally {
    clearTimeout(timer);
  }
}

export const pickers = {
  identity: (region: string) => lookup("sts:GetCallerIdentity", () => callerIdentity(region)),
  clusters: (region: string) => lookup("eks:ListClusters", () => listClusters(region)),
  databases: (region: string) => lookup("rds:DescribeDBInstances", () => listDatabases(region)),
  buckets: (region: string) => lookup("s3:ListBuckets", () => listBuckets(region)),
};
