// The DB admin credentials typed when a run starts: validated here and handed to the job service's memory.
// They are never returned to the page, logged or stored.
import { z } from "zod";
import { pgIdentifierSchema } from "./config/aws-names";
import { fieldErrors } from "./config/environment";
import type { RunSecrets } from "./steps/types";

const secretsSchema = z.object({
  dbAdminUser: pgIdentifierSchema.optional(),
  dbAdminPassword: z.string().max(1024, { error: "must be at most 1024 characters" }).optional(),
});

export function secretsFromForm(form: FormData): { ok: true; value: RunSecrets } | { ok: false; errors: Record<string, string[]> } {
  const raw = {
    dbAdminUser: String(form.get("dbAdminUser") ?? "").trim() || undefined,
    dbAdminPassword: String(form.get("dbAdminPassword") ?? "") || undefined,
  };
  const parsed = secretsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  if (parsed.data.dbAdminPassword && !parsed.data.dbAdminUser)
    return { ok: false, errors: { dbAdminUser: ["is required with the password"] } };
  return { ok: true, value: parsed.data };
}
