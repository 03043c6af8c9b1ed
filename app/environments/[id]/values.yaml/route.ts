// GET  /environments/[id]/values.yaml — the environment's Helm values as a download (signed-in users).
// POST /environments/[id]/values.yaml — the same values merged into an uploaded or pasted values.yaml
//      (form field `file` or `existing`), as a download; invalid YAML → 400 naming line and column; values that
//      would defeat the upgrade and need the admin's decision → 409 with the reasons.
import { userOr401 } from "@/lib/auth/current";
import { attachment, environmentForDownload, valuesSource } from "@/lib/environments";
import { MAX_VALUES_BYTES, mergeValues, renderValues, valuesFileName, ValuesRefusedError, ValuesYamlError } from "@/lib/helm";

export const dynamic = "force-dynamic";

async function source(id: string) {
  const found = await environmentForDownload(id);
  if (found instanceof Response) return { error: found };
  const env = found.env;
  const src = valuesSource(env, found.plan);
  if (!src.ok) return { error: Response.json({ error: src.reason }, { status: 409 }) };
  return { env, src };
}

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await userOr401();
  if (user instanceof Response) return user;
  const r = await source((await params).id);
  if ("error" in r) return r.error;
  return attachment(renderValues(r.src.settings, r.src.arns, r.src.context), valuesFileName(r.env.name), "application/yaml");
}

export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await userOr401();
  if (user instanceof Response) return user;
  const r = await source((await params).id);
  if ("error" in r) return r.error;
  const form = await req.formData();
  const file = form.get("file");
  const existing = file instanceof File && file.size > 0 ? await file.text() : String(form.get("existing") ?? "");
  if (existing.length > MAX_VALUES_BYTES) return Response.json({ error: `values.yaml must be under ${MAX_VALUES_BYTES} bytes` }, { status: 413 });
  try {
    const merged = mergeValues(existing, r.src.settings, r.src.arns, r.src.context);
    return attachment(merged.yaml, valuesFileName(r.env.name), "application/yaml");
  } catch (err) {
    if (err instanceof ValuesYamlError) return Response.json({ error: err.message, line: err.line, column: err.column }, { status: 400 });
    if (err instanceof ValuesRefusedError) return Response.json({ error: err.message, reasons: err.reasons }, { status: 409 });
    throw err;
  }
}
