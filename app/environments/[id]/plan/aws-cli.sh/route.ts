// GET /environments/[id]/plan/aws-cli.sh — the saved plan as the equivalent AWS CLI script, for change review
// (signed-in users). The same changes the plan page lists, in the same order, each printed by itself.
import { attachment, signedInDownload, livePlan, renderDownload } from "@/lib/environments";
import { renderCliScript } from "@/lib/steps/cli-script";
import { identityFacts } from "@/lib/steps/facts";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const found = await signedInDownload(params);
  if (found instanceof Response) return found;
  const { env, plan } = found;
  if (!plan) return Response.json({ error: "no plan yet: refresh the plan first" }, { status: 409 });
  return renderDownload("the AWS CLI script", () => {
    const { text } = renderCliScript(plan.settings, identityFacts(plan.facts), livePlan(plan));
    return attachment(text, `${env.name}-plan.sh`, "text/x-shellscript");
  });
}
