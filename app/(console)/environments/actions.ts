"use server";
// Creating an environment: a name now, the rest through the wizard.
import { redirect } from "next/navigation";
import { db } from "@/lib/db";
import { audit } from "@/lib/audit";
import { adminAction, type ActionState } from "@/lib/auth/action";
import { environmentNameSchema, suggestedNames } from "@/lib/config/environment";

export const createEnvironment = adminAction("creating an environment", async (user, _prev: ActionState, form: FormData) => {
  const raw = String(form.get("name") ?? "");
  const parsed = environmentNameSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: { name: parsed.error.issues.map((i) => i.message) }, values: { name: raw } };
  if (await db.environment.findUnique({ where: { name: parsed.data } }))
    return { ok: false, errors: { name: [`"${parsed.data}" already exists`] }, values: { name: raw } };
  const env = await db.environment.create({
    data: { name: parsed.data, draft: JSON.stringify({ name: parsed.data, ...suggestedNames(parsed.data) }) },
  });
  await audit(user.username, "environment.create", env.id, { name: env.name });
  redirect(`/environments/${env.id}/wizard/account`);
});
