// GET /environments/[id]/plan/aws-cli.sh — the saved plan as the equivalent AWS CLI script, for change review
// (signed-in users). The same changes the plan page lists, in the same order, each printed by itself.
import { userOr401 } from "@/lib/auth/current";
import { attachment, environmentForDownload, livePlan } from "@/lib/environments";
import { renderCliScript } from "@/lib/steps/cli-script";
import { identityFacts } from "@/lib/steps/facts";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await userOr401();
  if (user instanceof Response) return user;
  const found = await environmentForDownload((await params).id);
  if (found instanceof Response) return found;
  if (!found.plan) return Response.json({ error: "no plan yet: refresh the plan first" }, { status: 409 });
  const { text } = renderCliScript(found.plan.settings, identityFacts(found.plan.facts), livePlan(found.plan));
  return attachment(text, `${found.env.name}-plan.sh`, "text/x-shellscript");
}
