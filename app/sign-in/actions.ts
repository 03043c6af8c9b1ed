"use server";
// Sign-in and sign-out. Sign-in is the one action without a session; it is throttled per (user, address) and
// per user before the password is checked (lib/auth/sign-in.ts).
import { redirect } from "next/navigation";
import { fieldErrors } from "@/lib/config/environment";
import { db } from "@/lib/db";
import { audit } from "@/lib/audit";
import type { ActionState } from "@/lib/auth/action";
import { CHANGE_PASSWORD_PATH, clientAddress, getCurrentUser } from "@/lib/auth/current";
import { endBrowserSession, startBrowserSession } from "@/lib/auth/cookie";
import { checkCredentials, signInSchema } from "@/lib/auth/sign-in";
import { safeNext } from "@/lib/auth/safe-next";

const REFUSALS = {
  invalid: "Wrong username or password.",
  disabled: "This account is disabled: ask an admin.",
  busy: "The console is checking many sign-ins at once: try again in a moment.",
} as const;

export async function signIn(_prev: ActionState, form: FormData): Promise<ActionState> {
  const username = String(form.get("username") ?? "").slice(0, 64);
  const parsed = signInSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return { ok: false, errors: fieldErrors(parsed.error), values: { username } };
  }
  const address = await clientAddress();
  const result = await checkCredentials(db, parsed.data.username, parsed.data.password, address);
  if (!result.ok) {
    // Who tried, from where and why it failed (never what was typed as the password). Attempts refused by the
    // throttle are not written one by one: a password-guessing burst must not fill the job store; the first
    // failures that led to the throttle are in the log already.
    if (result.reason !== "throttled") await audit(parsed.data.username, "user.sign-in-failed", null, { reason: result.reason, address });
    if (result.reason === "throttled")
      return { ok: false, message: `Too many failed sign-ins. Try again in ${result.retryAfterSeconds} s.`, values: { username } };
    return { ok: false, message: REFUSALS[result.reason], values: { username } };
  }
  await startBrowserSession(result.userId);
  await audit(result.username, "user.sign-in");
  const next = safeNext(parsed.data.next);
  redirect(result.mustChangePassword ? `${CHANGE_PASSWORD_PATH}?next=${encodeURIComponent(next)}` : next);
}

export async function signOut(): Promise<void> {
  const user = await getCurrentUser();
  await endBrowserSession();
  if (user) await audit(user.username, "user.sign-out");
  redirect("/sign-in");
}
