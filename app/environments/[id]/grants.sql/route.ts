// GET /environments/[id]/grants.sql — the grants step as a script a DBA can review or run by hand (signed-in users).
import { db } from "@/lib/db";
import { userOr401 } from "@/lib/auth/current";
import { attachment } from "@/lib/environment-values";
import { parseJson, settingsOf } from "@/lib/environments";
import { renderGrantsSql } from "@/lib/postgres/grants-script";
import type { Observed } from "@/lib/steps/types";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await userOr401();
  if (user instanceof Response) return user;
  const env = await db.environment.findUnique({ where: { id: (await params).id } });
  if (!env) return Response.json({ error: "no such environment" }, { status: 404 });
  const settings = settingsOf(env);
  if (!settings) return Response.json({ error: "the wizard is not finished" }, { status: 409 });
  const observed = env.observed ? (parseJson(env.observed) as unknown as Observed) : null;
  const sql = renderGrantsSql(settings, {
    environmentName: env.name,
    host: settings.dbHostOverride ?? observed?.database?.endpoint,
    port: settings.dbPortOverride ?? observed?.database?.port,
  });
  return attachment(sql, `${env.name}-grants.sql`, "application/sql");
}
