"use server";
// A signed-in user changes their own password: the current one is required, the new one follows the rules,
// every other session of theirs ends (this one stays). The one action allowed while a reset forces a change.
import { redirect } from "next/navigation";
import { z } from "zod";
import { fieldErrors } from "@/lib/config/environment";
import { db } from "@/lib/db";
import { audit } from "@/lib/audit";
import { ownPasswordAction, type ActionState } from "@/lib/auth/action";
import { getCurrentSession } from "@/lib/auth/current";
import { safeNext } from "@/lib/auth/safe-next";
import { changeOwnPassword, passwordSchema, WrongPasswordError } from "@/lib/auth/users";

const changeSchema = z
  .object({ current: z.string().min(1, { error: "is required" }).max(256), password: passwordSchema, confirm: z.string(), next: z.string().max(2048).optional() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], error: "must match the new password" })
  .refine((v) => v.password !== v.current, { path: ["password"], error: "must differ from the current password" });

export const changePassword = ownPasswordAction("changing a password", async (user, _prev: ActionState, form: FormData) => {
  const parsed = changeSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const session = await getCurrentSession();
  if (!session) return { ok: false, message: "Your session has ended: sign in again." };
  try {
    await changeOwnPassword(db, user.id, parsed.data.current, parsed.data.password, session.tokenHash);
  } catch (err) {
    if (err instanceof WrongPasswordError) return { ok: false, errors: { current: ["is not right"] } };
    throw err;
  }
  await audit(user.username, "user.change-password");
  redirect(safeNext(parsed.data.next));
});
