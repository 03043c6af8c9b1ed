"use server";
// Creates the first admin with the one-time setup token printed at start-up. Refused once any user exists.
import { redirect } from "next/navigation";
import { z } from "zod";
import { fieldErrors } from "@/lib/config/environment";
import { db } from "@/lib/db";
import { audit } from "@/lib/audit";
import type { ActionState } from "@/lib/auth/action";
import { startBrowserSession } from "@/lib/auth/cookie";
import { checkSetupToken, needsSetup, retireSetupToken } from "@/lib/auth/setup";
import { createUser, passwordSchema, usernameSchema } from "@/lib/auth/users";

const setupSchema = z
  .object({ token: z.string(), username: usernameSchema, password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], error: "must match the password" });

export async function createFirstAdmin(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = { username: String(form.get("username") ?? "") };
  if (!(await needsSetup(db))) return { ok: false, message: "Setup is already done: sign in instead.", values };
  if (!checkSetupToken(String(form.get("token") ?? "")))
    return { ok: false, message: "The setup token is missing or wrong. Use the link the server printed at start-up.", values };
  const parsed = setupSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return { ok: false, errors: fieldErrors(parsed.error), values };
  }
  const user = await createUser(db, { username: parsed.data.username, password: parsed.data.password, role: "admin" });
  retireSetupToken();
  await audit(user.username, "user.create-first-admin");
  await startBrowserSession(user.id);
  redirect("/environments");
}
