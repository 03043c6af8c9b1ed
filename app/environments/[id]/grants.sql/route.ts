// GET /environments/[id]/grants.sql — the grants step as a script a DBA can review or run by hand (signed-in users).
import { userOr401 } from "@/lib/auth/current";
import { attachment, environmentForDownload, renderDownload } from "@/lib/environment-values";
import { renderGrantsSql } from "@/lib/postgres/grants-script";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await userOr401();
  if (user instanceof Response) return user;
  const found = await environmentForDownload((await params).id);
  if (found instanceof Response) return found;
  const { env, settings, observed } = found;
  return renderDownload("grants.sql", () => {
    const sql = renderGrantsSql(settings, {
      environmentName: env.name,
      host: settings.dbHostOverride ?? observed?.database?.endpoint,
      port: settings.dbPortOverride ?? observed?.database?.port,
    });
    return attachment(sql, `${env.name}-grants.sql`, "application/sql");
  });
}
