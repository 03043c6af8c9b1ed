"use server";
// Admins add users and set roles. The last admin cannot be demoted (the console would lose its admins).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { fieldErrors } from "@/lib/config/environment";
import { db } from "@/lib/db";
import { audit } from "@/lib/audit";
import { adminAction, type ActionState } from "@/lib/auth/action";
import { roleSchema } from "@/lib/auth/roles";
import { countAdmins, createUser, newUserSchema, setRole, UsernameTakenError } from "@/lib/auth/users";

export const addUser = adminAction("adding a user", async (actor, _prev: ActionState, form: FormData) => {
  const values = { username: String(form.get("username") ?? ""), role: String(form.get("role") ?? "viewer") };
  const parsed = newUserSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return { ok: false, errors: fieldErrors(parsed.error), values };
  }
  try {
    const user = await createUser(db, parsed.data);
    await audit(actor.username, "user.create", null, { user: user.username, role: user.role });
  } catch (err) {
    if (err instanceof UsernameTakenError) return { ok: false, errors: { username: [err.message.replace(/^username /, "")] }, values };
    throw err;
  }
  revalidatePath("/users");
  return { ok: true, message: `User ${parsed.data.username} added as ${parsed.data.role}.` };
});

const roleChangeSchema = z.object({ userId: z.string().min(1), role: roleSchema });

export const changeRole = adminAction("changing a role", async (actor, _prev: ActionState, form: FormData) => {
  const parsed = roleChangeSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, message: `role ${parsed.error.issues[0]?.message}` };
  const target = await db.user.findUnique({ where: { id: parsed.data.userId } });
  if (!target) return { ok: false, message: "No such user." };
  if (target.role === "admin" && parsed.data.role !== "admin" && (await countAdmins(db)) <= 1)
    return { ok: false, message: "The last admin cannot be made a viewer: add another admin first." };
  await setRole(db, target.id, parsed.data.role);
  await audit(actor.username, "user.set-role", null, { user: target.username, role: parsed.data.role });
  revalidatePath("/users");
  return { ok: true, message: `${target.username} is now ${parsed.data.role}.` };
});
