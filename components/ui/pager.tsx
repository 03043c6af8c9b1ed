// Newer / older links under a paged list; the page number travels in the address (`?page=`), so a page can be
// bookmarked and the back button works.
import Link from "next/link";

export function Pager({ basePath, page, hasOlder, label }: { basePath: string; page: number; hasOlder: boolean; label: string }) {
  if (page === 1 && !hasOlder) return null;
  const link = "rounded-md border border-slate-400 px-3 py-1 text-sm underline hover:bg-slate-100 dark:hover:bg-slate-800";
  return (
    <nav aria-label={`${label} pages`} className="flex items-center gap-3">
      {page > 1 ? (
        <Link className={link} href={page === 2 ? basePath : `${basePath}?page=${page - 1}`} rel="prev">
          Newer
        </Link>
      ) : null}
      <span className="text-sm">Page {page}</span>
      {hasOlder ? (
        <Link className={link} href={`${basePath}?page=${page + 1}`} rel="next">
          Older
        </Link>
      ) : null}
    </nav>
  );
}
