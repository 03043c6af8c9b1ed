// Run history one page at a time: a console that has applied for years must not send every run in one page
// (1,000 runs were 353 KiB of HTML at 200 rows). Newest first; the page number comes from the address bar.
import "server-only";
import { db } from "../db";

export const RUNS_PER_PAGE = 50;

export type PageNumber = { ok: true; page: number } | { ok: false; error: string };

/** `?page=` as typed: absent means 1; anything but a whole number from 1 to 100000 is refused with the rule. */
export function parsePageNumber(raw: string | string[] | undefined): PageNumber {
  if (raw === undefined || raw === "") return { ok: true, page: 1 };
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (!/^[0-9]{1,6}$/.test(text) || Number(text) < 1 || Number(text) > 100_000)
    return { ok: false, error: "page must be a whole number from 1 to 100000" };
  return { ok: true, page: Number(text) };
}

/** One page of runs with their environment; `hasOlder` says whether another page follows. */
export async function listRunsPage(page: number, pageSize = RUNS_PER_PAGE) {
  const rows = await db.run.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * pageSize,
    // One more than shown: whether an older page exists, without counting every run.
    take: pageSize + 1,
    include: { environment: { select: { id: true, name: true } } },
  });
  return { runs: rows.slice(0, pageSize), hasOlder: rows.length > pageSize };
}
