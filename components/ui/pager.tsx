// Newer / older links under a paged list; the page number travels in the address (`?page=`), so a page can be
// bookmarked and the back button works.
import Link from "next/link";

/** `query` holds the list's other parameters (a filter), kept on every page link. */
export function Pager({ basePath, query = {}, page, hasOlder, label }: { basePath: string; query?: Record<string, string>; page: number; hasOlder: boolean; label: string }) {
  if (page === 1 && !hasOlder) return null;
  const href = (n: number) => {
    const params = new URLSearchParams(query);
    if (n > 1) params.set("page", String(n));
    const qs = params.toString();
    return qs ? `${basePath}?${qs}` : basePath;
  };
  const link = "rounded-md border border-slate-400 px-3 py-1 text-sm underline hover:bg-slate-100 dark:hover:bg-slate-800";
  return (
    <nav aria-label={`${label} pages`} className="flex items-center gap-3">
      {page > 1 ? (
        <Link className={link} href={href(page - 1)} rel="prev">
          Newer
        </Link>
      ) : null}
      <span className="text-sm">Page {page}</span>
      {hasOlder ? (
        <Link className={link} href={href(page + 1)} rel="next">
          Older
        </Link>
      ) : null}
    </nav>
  );
}
