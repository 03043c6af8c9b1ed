// GET /environments/[id]/grants.sql — the grants step as a script a DBA can review or run by hand (signed-in users).
import { userOr401 } from "@/lib/auth/current";
import { attachment, environmentForDownload } from "@/lib/environments";
import { renderGrantsSql } from "@/lib/postgres/grants-script";
import { discoverFacts } from "@/lib/steps/discover";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await userOr401();
  if (user instanceof Response) return user;
  const found = await environmentForDownload((await params).id);
  if (found instanceof Response) return found;
  const { env, settings, plan } = found;
  const database = plan ? discoverFacts(plan.facts).database : null;
  const sql = renderGrantsSql(settings, {
    environmentName: env.name,
    host: settings.dbHostOverride ?? database?.endpoint,
    port: settings.dbPortOverride ?? database?.port,
  });
  return attachment(sql, `${env.name}-grants.sql`, "application/sql");
}
