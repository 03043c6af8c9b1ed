// GET /environments/[id]/grants.sql — the grants step as a script a DBA can review or run by hand (signed-in users).
import { attachment, databaseAddress, signedInDownload, renderDownload } from "@/lib/environments";
import { renderGrantsSql } from "@/lib/postgres/grants-script";
import { discoverFacts } from "@/lib/steps/discover";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const found = await signedInDownload(params);
  if (found instanceof Response) return found;
  const { env, settings, plan } = found;
  return renderDownload("grants.sql", () => {
    const sql = renderGrantsSql(settings, {
      environmentName: env.name,
      ...databaseAddress(settings, plan),
      // The RDS master user, as the plan read it, is refused as the IAM user in the script too.
      masterUsername: plan ? discoverFacts(plan.facts).database?.masterUsername : null,
    });
    return attachment(sql, `${env.name}-grants.sql`, "application/sql");
  });
}
