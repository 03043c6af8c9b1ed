// GET /environments/[id]/plan/aws-cli.sh — the plan as the equivalent AWS CLI script, for change review
// (signed-in users). Built from the last discovery the plan page stored.
import { db } from "@/lib/db";
import { userOr401 } from "@/lib/auth/current";
import { attachment } from "@/lib/environment-values";
import { parseJson, settingsOf } from "@/lib/environments";
import { renderCliScript } from "@/lib/steps/cli-script";
import type { Observed } from "@/lib/steps/types";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await userOr401();
  if (user instanceof Response) return user;
  const env = await db.environment.findUnique({ where: { id: (await params).id } });
  if (!env) return Response.json({ error: "no such environment" }, { status: 404 });
  const settings = settingsOf(env);
  if (!settings || !env.observed) return Response.json({ error: "open the plan first" }, { status: 409 });
  const script = renderCliScript(settings, parseJson(env.observed) as unknown as Observed);
  return attachment(script, `${env.name}-plan.sh`, "text/x-shellscript");
}
