// One wrapper for every server action: session and role check, error-to-message mapping and logging live
// here, so each action body is only its work. Expected failures are returned, not thrown.
import "server-only";
import { unstable_rethrow } from "next/navigation";
import { logger } from "../log";
import { publicError } from "../http/public-error";
import { getCurrentUser } from "./current";
import { auditRefusal } from "./refusals";
import { isAdmin, type SessionUser } from "./roles";

export interface ActionState {
  ok?: boolean;
  message?: string;
  /** Field errors keyed by field name, rendered next to each field. */
  errors?: Record<string, string[]>;
  /** Values to put back into the form after a failed submit. */
  values?: Record<string, string>;
}

/** An action's body; `S` adds what a successful answer carries beyond the form's state (a teardown plan). */
type Body<A extends unknown[], S extends ActionState = ActionState> = (user: SessionUser, ...args: A) => Promise<S>;

function wrap<A extends unknown[], S extends ActionState = ActionState>(name: string, adminOnly: boolean, body: Body<A, S>, beforePasswordChange = false) {
  return async (...args: A): Promise<S | ActionState> => {
    const user = await getCurrentUser();
    if (!user) return { ok: false, message: "Your session has ended: sign in again." };
    // After an admin's reset, choosing a new password comes before anything else.
    if (user.mustChangePassword && !beforePasswordChange) return { ok: false, message: "Choose a new password first." };
    if (adminOnly && !isAdmin(user)) {
      logger.warn("action refused", { action: name, user: user.username, role: user.role });
      // A viewer's forged POST is exactly what the audit log is for; the environment is named when the action's
      // first argument is one (the console's actions bind the environment id first).
      await auditRefusal(user.username, name, user.role, args[0]);
      return { ok: false, message: `Forbidden: ${name} requires the admin role.` };
    }
    try {
      return await body(user, ...args);
    } catch (err) {
      unstable_rethrow(err); // redirect() and notFound() travel as errors
      // The console's own refusals keep their message; anything else is logged and named by a reference only.
      return { ok: false, message: publicError(err, name, { user: user.username }).message };
    }
  };
}

/** A mutation: signed-in admins only. */
export function adminAction<A extends unknown[], S extends ActionState = ActionState>(name: string, body: Body<A, S>) {
  return wrap(name, true, body);
}

/** A read-only action any signed-in user may call. */
export function userAction<A extends unknown[]>(name: string, body: Body<A>) {
  return wrap(name, false, body);
}

/** The one action a user whose password was reset may call: choosing their own new password. */
export function ownPasswordAction<A extends unknown[]>(name: string, body: Body<A>) {
  return wrap(name, false, body, true);
}
