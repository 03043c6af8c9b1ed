"use server";
// Admins add users, set roles, reset passwords (the user must choose a new one at the next sign-in), disable,
// enable and delete users, and end a user's sessions. The console always keeps an enabled admin: that rule is
// checked inside the statement that would break it (lib/auth/users.ts), so it holds under concurrent requests.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { fieldErrors } from "@/lib/config/environment";
import { db } from "@/lib/db";
import { audit } from "@/lib/audit";
import { adminAction, type ActionState } from "@/lib/auth/action";
import { roleSchema, type SessionUser } from "@/lib/auth/roles";
import {
  createUser,
  deleteUser,
  disableUser,
  enableUser,
  endSessions,
  newUserSchema,
  passwordSchema,
  resetPassword,
  setRole,
  UsernameTakenError,
} from "@/lib/auth/users";

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

const userIdSchema = z.string().min(1).max(64);
const roleChangeSchema = z.object({ userId: userIdSchema, role: roleSchema });

export const changeRole = adminAction("changing a role", async (actor, _prev: ActionState, form: FormData) => {
  const parsed = roleChangeSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, message: `role ${parsed.error.issues[0]?.message}` };
  const user = await setRole(db, parsed.data.userId, parsed.data.role);
  await audit(actor.username, "user.set-role", null, { user: user.username, role: parsed.data.role });
  revalidatePath("/users");
  return { ok: true, message: `${user.username} is now ${parsed.data.role}.` };
});

/** The user an action on one row targets; admins change themselves on their own account page. */
function targetOf(actor: SessionUser, form: FormData, what: string): { userId: string } | { refusal: ActionState } {
  const parsed = userIdSchema.safeParse(form.get("userId"));
  if (!parsed.success) return { refusal: { ok: false, message: "No such user." } };
  if (parsed.data === actor.id) return { refusal: { ok: false, message: `You cannot ${what} yourself here: ask another admin.` } };
  return { userId: parsed.data };
}

export const resetUserPassword = adminAction("resetting a password", async (actor, _prev: ActionState, form: FormData) => {
  const target = targetOf(actor, form, "reset the password of");
  if ("refusal" in target) return target.refusal;
  const password = passwordSchema.safeParse(form.get("password") ?? "");
  if (!password.success) return { ok: false, errors: { password: password.error.issues.map((i) => i.message) } };
  const user = await resetPassword(db, target.userId, password.data);
  await audit(actor.username, "user.reset-password", null, { user: user.username });
  revalidatePath("/users");
  return { ok: true, message: `Password of ${user.username} reset: they choose a new one at their next sign-in; their sessions ended.` };
});

export const setUserEnabled = adminAction("disabling or enabling a user", async (actor, _prev: ActionState, form: FormData) => {
  const target = targetOf(actor, form, "disable");
  if ("refusal" in target) return target.refusal;
  const enable = form.get("enable") === "true";
  const user = enable ? await enableUser(db, target.userId) : await disableUser(db, target.userId);
  await audit(actor.username, enable ? "user.enable" : "user.disable", null, { user: user.username });
  revalidatePath("/users");
  return { ok: true, message: enable ? `${user.username} can sign in again.` : `${user.username} is disabled and signed out everywhere.` };
});

export const endUserSessions = adminAction("ending a user's sessions", async (actor, _prev: ActionState, form: FormData) => {
  const target = targetOf(actor, form, "end the sessions of");
  if ("refusal" in target) return target.refusal;
  const ended = await endSessions(db, target.userId);
  await audit(actor.username, "user.end-sessions", null, { userId: target.userId, sessions: ended });
  revalidatePath("/users");
  return { ok: true, message: `${ended} session(s) ended.` };
});

export const removeUser = adminAction("deleting a user", async (actor, _prev: ActionState, form: FormData) => {
  const target = targetOf(actor, form, "delete");
  if ("refusal" in target) return target.refusal;
  if (form.get("confirm") !== "on") return { ok: false, errors: { confirm: ["must be ticked to delete the user"] } };
  const user = await deleteUser(db, target.userId);
  await audit(actor.username, "user.delete", null, { user: user.username });
  revalidatePath("/users");
  return { ok: true, message: `${user.username} deleted.` };
});
