// GET /environments/[id]/rollback.sql — the way back: the SQL that returns the database to the password user and
// removes the IAM user (signed-in users); 409 with the rule when the settings cannot have one (no original owner).
import { attachment, databaseAddress, signedInDownload } from "@/lib/environments";
import { IdentifierError } from "@/lib/postgres/identifiers";
import { renderRollbackSql } from "@/lib/postgres/rollback";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const found = await signedInDownload(params);
  if (found instanceof Response) return found;
  const { env, settings, plan } = found;
  try {
    const sql = renderRollbackSql(settings, { environmentName: env.name, ...databaseAddress(settings, plan) });
    return attachment(sql, `${env.name}-rollback.sql`, "application/sql");
  } catch (error) {
    if (error instanceof IdentifierError) return Response.json({ error: error.message }, { status: 409 });
    throw error;
  }
}
