// A link inside a table row (history, audit log, environments): a plain anchor, not next/link. next/link is a
// client component: server-rendering it cost about 0.06 ms per link, 3.5 ms of a 30-row history page's 12 ms
// (measured with the pages bench), and in the browser it prefetches every row that scrolls into view. A row's
// link opens a whole page anyway; the console's navigation keeps next/link.
export function RowLink({ href, className = "underline", children }: { href: string; className?: string; children: React.ReactNode }) {
  return (
    <a href={href} className={className}>
      {children}
    </a>
  );
}
