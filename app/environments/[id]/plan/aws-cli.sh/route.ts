// GET /environments/[id]/plan/aws-cli.sh — the plan as the equivalent AWS CLI script, for change review
// (signed-in users). Built from the last discovery the plan page stored.
import { userOr401 } from "@/lib/auth/current";
import { attachment, environmentForDownload } from "@/lib/environment-values";
import { renderCliScript } from "@/lib/steps/cli-script";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await userOr401();
  if (user instanceof Response) return user;
  const found = await environmentForDownload((await params).id);
  if (found instanceof Response) return found;
  if (!found.observed) return Response.json({ error: "open the plan first" }, { status: 409 });
  return attachment(renderCliScript(found.settings, found.observed), `${found.env.name}-plan.sh`, "text/x-shellscript");
}
