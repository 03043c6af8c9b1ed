"use server";
// Creating an environment: a name now, the rest through the wizard.
import { redirect } from "next/navigation";
import { audit } from "@/lib/audit";
import { adminAction, type ActionState } from "@/lib/auth/action";
import { environmentNameSchema, suggestedNames } from "@/lib/config/environment";
import { createEnvironment as create } from "@/lib/environments";

export const createEnvironment = adminAction("creating an environment", async (user, _prev: ActionState, form: FormData) => {
  const raw = String(form.get("name") ?? "");
  const parsed = environmentNameSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: { name: parsed.error.issues.map((i) => i.message) }, values: { name: raw } };
  const env = await create(parsed.data, { name: parsed.data, ...suggestedNames(parsed.data) });
  if (!env) return { ok: false, errors: { name: [`"${parsed.data}" already exists`] }, values: { name: raw } };
  await audit(user.username, "environment.create", env.id, { name: env.name });
  redirect(`/environments/${env.id}/wizard/account`);
});
