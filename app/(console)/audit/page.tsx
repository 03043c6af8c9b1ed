// /audit — who did what, when, to which environment: sign-ins (and failed ones), refused actions, user and role
// changes, settings changes with before and after. Read-only for everyone; filtered by environment, user and
// action; a page at a time (lib/audit.ts reads it); exported as CSV at /audit/export.csv.
import Link from "next/link";
import { requireUser } from "@/lib/auth/current";
import { AUDIT_PAGE_SIZE, auditFilterChoices, auditQuery, auditSearch, listAuditEvents } from "@/lib/audit";
import { AuditFilters } from "@/components/audit/audit-filters";
import { RowLink } from "@/components/ui/row-link";
import { Cell, Row, Table } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

export const dynamic = "force-dynamic";
export const metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser("/audit");
  const { filter, page } = auditQuery(await searchParams);
  const [{ events, total, pages }, choices] = await Promise.all([listAuditEvents(filter, page), auditFilterChoices()]);
  const first = total === 0 ? 0 : (page - 1) * AUDIT_PAGE_SIZE + 1;
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <AuditFilters filter={filter} choices={choices} />
      <p className="text-sm" data-testid="audit-count">
        {total === 0 ? "No entries match." : `Entries ${first}–${first + events.length - 1} of ${total}, newest first.`}
      </p>
      {events.length ? (
        <Table columns={["When", "Who", "What", "Environment", "Details"]}>
          {events.map((e) => (
            <Row key={e.id}>
              <Cell className="whitespace-nowrap">
                <Time value={e.at} />
              </Cell>
              <Cell>{e.actor}</Cell>
              <Cell className="font-mono">
                <span data-testid="audit-action">{e.action}</span>
              </Cell>
              <Cell>
                {e.environment ? (
                  <RowLink href={`/environments/${e.environment.id}`}>{e.environment.name}</RowLink>
                ) : (
                  "—"
                )}
              </Cell>
              <Cell className="font-mono text-xs break-all">{e.detail ?? ""}</Cell>
            </Row>
          ))}
        </Table>
      ) : null}
      {pages > 1 ? (
        <nav aria-label="Audit log pages" className="flex items-center gap-4 text-sm">
          {page > 1 ? (
            <Link className="underline" href={`/audit${auditSearch(filter, { page: String(page - 1) })}`} rel="prev">
              Newer entries
            </Link>
          ) : null}
          <span>
            Page {Math.min(page, pages)} of {pages}
          </span>
          {page < pages ? (
            <Link className="underline" href={`/audit${auditSearch(filter, { page: String(page + 1) })}`} rel="next">
              Older entries
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
