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

/**
 * The credentials of a run form. `tlsOff`: the environment connects without TLS, so a password is only taken
 * with the explicit acknowledgement next to it (refused here, before any run starts).
 */
export function secretsFromForm(
  form: FormData,
  opts: { tlsOff?: boolean } = {},
): { ok: true; value: RunSecrets } | { ok: false; errors: Record<string, string[]> } {
  const raw = {
    dbAdminUser: String(form.get("dbAdminUser") ?? "").trim() || undefined,
    dbAdminPassword: String(form.get("dbAdminPassword") ?? "") || undefined,
  };
  const parsed = secretsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  if (parsed.data.dbAdminPassword && !parsed.data.dbAdminUser)
    return { ok: false, errors: { dbAdminUser: ["is required with the password"] } };
  const acknowledged = form.get("acknowledgeUnverifiedTls") === "on";
  if (opts.tlsOff && parsed.data.dbAdminPassword && !acknowledged)
    return {
      ok: false,
      errors: {
        acknowledgeUnverifiedTls: [
          "must be ticked to send the DB admin password without verified TLS (dbTls is disable); or set TLS to verify-full in the wizard",
        ],
      },
    };
  return { ok: true, value: { ...parsed.data, ...(acknowledged ? { acknowledgeUnverifiedTls: true } : {}) } };
}
