// GET /environments/[id]/plan/aws-cli.sh — the plan as the equivalent AWS CLI script, for change review
// (signed-in users). Built from the last discovery the plan page stored.
import { userOr401 } from "@/lib/auth/current";
import { attachment, environmentForDownload, renderDownload } from "@/lib/environment-values";
import { renderCliScript } from "@/lib/steps/cli-script";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await userOr401();
  if (user instanceof Response) return user;
  const found = await environmentForDownload((await params).id);
  if (found instanceof Response) return found;
  if (!found.observed) return Response.json({ error: "open the plan first" }, { status: 409 });
  const { env, settings, observed } = found;
  return renderDownload("the AWS CLI script", () => attachment(renderCliScript(settings, observed), `${env.name}-plan.sh`, "text/x-shellscript"));
}
