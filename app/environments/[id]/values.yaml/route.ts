// GET  /environments/[id]/values.yaml — the environment's Helm values as a download (signed-in users).
// POST /environments/[id]/values.yaml — the same values merged into an uploaded or pasted values.yaml
//      (form field `file` or `existing`), as a download; invalid YAML → 400 naming line and column; values that
//      would defeat the upgrade and need the admin's decision → 409 with the reasons; a body or a file over the
//      caps → 413 with the field's message, after reading at most a little more than the cap.
import { userOr401 } from "@/lib/auth/current";
import { attachment, environmentForDownload, renderDownload, valuesSource } from "@/lib/environments";
import { MAX_VALUES_BYTES, mergedValuesFileName, renderValues, valuesFileName, ValuesLimitError, ValuesRefusedError, ValuesYamlError } from "@/lib/helm";
import { mergeValuesOffThread } from "@/lib/helm/merge-off-thread";
import { publicError } from "@/lib/http/public-error";
import { BodyTooLargeError, formDataCapped } from "@/lib/http/read-body";

export const dynamic = "force-dynamic";

/** The pasted text or file plus the form's other fields and multipart framing. */
const MAX_BODY_BYTES = MAX_VALUES_BYTES + 64 * 1024;
const FIELD = "existing";
const tooLarge = (rule: string) => Response.json({ field: FIELD, error: `Existing values.yaml ${rule}` }, { status: 413 });

type Source = { error: Response } | { env: { name: string }; src: Extract<ReturnType<typeof valuesSource>, { ok: true }> };

async function source(id: string): Promise<Source> {
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
  return renderDownload("values.yaml", () =>
    attachment(renderValues(r.src.settings, r.src.arns, r.src.context), valuesFileName(r.env.name), "application/yaml"),
  );
}

export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await userOr401();
  if (user instanceof Response) return user;
  const r = await source((await params).id);
  if ("error" in r) return r.error;
  let form: FormData;
  try {
    form = await formDataCapped(req, MAX_BODY_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLargeError) return tooLarge(`must be at most ${MAX_VALUES_BYTES.toLocaleString("en-US")} bytes`);
    return Response.json({ error: "the request is not a form (multipart/form-data or urlencoded)" }, { status: 400 });
  }
  const file = form.get("file");
  const existing = file instanceof File && file.size > 0 ? await file.text() : String(form.get(FIELD) ?? "");
  try {
    const merged = await mergeValuesOffThread(existing, r.src.settings, r.src.arns, r.src.context);
    return attachment(merged.yaml, mergedValuesFileName(r.env.name), "application/yaml");
  } catch (err) {
    if (err instanceof ValuesLimitError && err.busy) return Response.json({ field: FIELD, error: err.message }, { status: 503 });
    if (err instanceof ValuesLimitError) return tooLarge(err.message.replace(/^values\.yaml /, ""));
    if (err instanceof ValuesYamlError) return Response.json({ field: FIELD, error: err.message, line: err.line, column: err.column }, { status: 400 });
    if (err instanceof ValuesRefusedError) return Response.json({ field: FIELD, error: err.message, reasons: err.reasons }, { status: 409 });
    return Response.json({ error: publicError(err, "merging values.yaml").message }, { status: 500 });
  }
}
