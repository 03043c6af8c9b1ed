// GET /audit/export.csv?environment=&user=&action= — the audit log with the page's filters as a CSV download,
// for signed-in users (the audit page is read-only for everyone). Details are plain facts, never secrets.
import { userOr401 } from "@/lib/auth/current";
import { auditCsv, auditQuery } from "@/lib/audit";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const user = await userOr401();
  if (user instanceof Response) return user;
  const { filter } = auditQuery(Object.fromEntries(new URL(request.url).searchParams));
  return new Response(await auditCsv(filter), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-log-${new Date().toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
