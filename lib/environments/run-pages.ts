// Run history one page at a time: a console that has applied for years must not send every run in one page
// (1,000 runs were 353 KiB of HTML at 200 rows). Newest first; the page number comes from the address bar.
import "server-only";
import { db } from "../db";

/** About 70 KiB of HTML with the layout: under the 100 KiB a page may weigh (bench/pages.ts measures it). */
export const RUNS_PER_PAGE = 30;

export type PageNumber = { ok: true; page: number } | { ok: false; error: string };

/** `?page=` as typed: absent means 1; anything but a whole number from 1 to 100000 is refused with the rule. */
export function parsePageNumber(raw: string | string[] | undefined): PageNumber {
  if (raw === undefined || raw === "") return { ok: true, page: 1 };
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (!/^[0-9]{1,6}$/.test(text) || Number(text) < 1 || Number(text) > 100_000)
    return { ok: false, error: "page must be a whole number from 1 to 100000" };
  return { ok: true, page: Number(text) };
}

export type EnvironmentFilter = { ok: true; environmentId: string | null } | { ok: false; error: string };

/** `?environment=` (an environment's id, as the environment page links it): absent means every environment. */
export function parseEnvironmentFilter(raw: string | string[] | undefined): EnvironmentFilter {
  if (raw === undefined || raw === "") return { ok: true, environmentId: null };
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(text)) return { ok: false, error: "environment must be an environment's id (letters, digits, - and _)" };
  return { ok: true, environmentId: text };
}

/**
 * The columns a history row shows (components/runs/runs-table.tsx) and the environment page's state reads. Not the
 * whole row: each run keeps its settings snapshot and choices as JSON, read here only to be thrown away.
 */
const RUN_ROW = {
  id: true,
  kind: true,
  status: true,
  actor: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  environment: { select: { id: true, name: true } },
} as const;

/** One page of runs with their environment; `hasOlder` says whether another page follows. */
export async function listRunsPage(page: number, environmentId: string | null = null, pageSize = RUNS_PER_PAGE) {
  const rows = await db.run.findMany({
    where: environmentId ? { environmentId } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * pageSize,
    // One more than shown: whether an older page exists, without counting every run.
    take: pageSize + 1,
    select: RUN_ROW,
  });
  return { runs: rows.slice(0, pageSize), hasOlder: rows.length > pageSize };
}

/** The environment's latest apply (its state is that run's), wherever it falls in the history's pages. */
export function latestApply(environmentId: string) {
  return db.run.findFirst({ where: { environmentId, kind: "apply" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: RUN_ROW });
}
