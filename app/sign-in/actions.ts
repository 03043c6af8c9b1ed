"use server";
// Sign-in and sign-out. Sign-in is the one action without a session; it is throttled per user and address.
import { redirect } from "next/navigation";
import { z } from "zod";
import { fieldErrors } from "@/lib/config/environment";
import { db } from "@/lib/db";
import { audit } from "@/lib/audit";
import type { ActionState } from "@/lib/auth/action";
import { clientAddress, getCurrentUser } from "@/lib/auth/current";
import { endBrowserSession, startBrowserSession } from "@/lib/auth/cookie";
import { checkCredentials } from "@/lib/auth/sign-in";
import { safeNext } from "@/lib/auth/safe-next";

const signInSchema = z.object({
  username: z.string().trim().min(1, { error: "is required" }),
  password: z.string().min(1, { error: "is required" }),
  next: z.string().optional(),
});

export async function signIn(_prev: ActionState, form: FormData): Promise<ActionState> {
  const parsed = signInSchema.safeParse(Object.fromEntries(form));
  const username = String(form.get("username") ?? "");
  if (!parsed.success) {
    return { ok: false, errors: fieldErrors(parsed.error), values: { username } };
  }
  const result = await checkCredentials(db, parsed.data.username, parsed.data.password, await clientAddress());
  if (!result.ok) {
    if (result.reason === "throttled")
      return { ok: false, message: `Too many failed sign-ins. Try again in ${result.retryAfterSeconds} s.`, values: { username } };
    return { ok: false, message: "Wrong username or password.", values: { username } };
  }
  await startBrowserSession(result.userId);
  await audit(parsed.data.username, "user.sign-in");
  redirect(safeNext(parsed.data.next));
}

export async function signOut(): Promise<void> {
  const user = await getCurrentUser();
  await endBrowserSession();
  if (user) await audit(user.username, "user.sign-out");
  redirect("/sign-in");
}
