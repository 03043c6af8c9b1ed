// /audit — who did what, when, to which environment. Read-only for everyone.
import Link from "next/link";
import { db } from "@/lib/db";
import { requireUser } from "@/lib/auth/current";
import { Cell, Row, Table } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

export const dynamic = "force-dynamic";
export const metadata = { title: "Audit log" };

export default async function AuditPage() {
  await requireUser("/audit");
  const events = await db.auditEvent.findMany({
    orderBy: { id: "desc" },
    take: 500,
    include: { environment: { select: { id: true, name: true } } },
  });
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      {events.length === 0 ? (
        <p>Nothing has happened yet.</p>
      ) : (
        <Table columns={["When", "Who", "What", "Environment", "Details"]}>
          {events.map((e) => (
            <Row key={e.id}>
              <Cell className="whitespace-nowrap">
                <Time value={e.at} />
              </Cell>
              <Cell>{e.actor}</Cell>
              <Cell className="font-mono">{e.action}</Cell>
              <Cell>
                {e.environment ? (
                  <Link className="underline" href={`/environments/${e.environment.id}`}>
                    {e.environment.name}
                  </Link>
                ) : (
                  "—"
                )}
              </Cell>
              <Cell className="font-mono text-xs break-all">{e.detail ?? ""}</Cell>
            </Row>
          ))}
        </Table>
      )}
    </div>
  );
}
