// GET /environments/[id]/rollback-values.yaml — the way back: Helm values that point Studio's database connection at
// the password user again, to pass after the values in use (signed-in users).
import { attachment, signedInDownload } from "@/lib/environments";
import { renderRollbackValues } from "@/lib/helm";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const found = await signedInDownload(params);
  if (found instanceof Response) return found;
  const { env, settings } = found;
  return attachment(renderRollbackValues(settings), `${env.name}-rollback-values.yaml`, "application/yaml");
}
