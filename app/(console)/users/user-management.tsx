"use client";
// One user's row for admins: reset the password (the user chooses a new one at the next sign-in), disable or
// enable, end their sessions, delete. Every refusal (the last admin, yourself) comes from the server.
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { NewPasswordFields } from "@/components/auth/new-password-fields";
import { FormMessage } from "@/components/ui/form-message";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-rules";
import { endUserSessions, removeUser, resetUserPassword, setUserEnabled } from "./actions";

export function UserManagement({ userId, username, disabled }: { userId: string; username: string; disabled: boolean }) {
  const [resetState, reset, resetting] = useActionState(resetUserPassword, {});
  const [enableState, toggle, toggling] = useActionState(setUserEnabled, {});
  const [sessionsState, endAll, ending] = useActionState(endUserSessions, {});
  const [deleteState, remove, removing] = useActionState(removeUser, {});
  const id = (part: string) => `${part}-${userId}`;
  return (
    <details className="text-sm">
      <summary className="cursor-pointer underline">Manage {username}</summary>
      <div className="mt-2 flex flex-col gap-3">
        <form action={reset} className="flex flex-col gap-2" aria-label={`Reset the password of ${username}`}>
          <input type="hidden" name="userId" value={userId} />
          <NewPasswordFields
            id={id("temporary-password")}
            label={`Temporary password for ${username}`}
            help={`At least ${MIN_PASSWORD_LENGTH} characters; ${username} must choose a new one at the next sign-in.`}
            errors={resetState.errors?.password}
          />
          <Button type="submit" variant="secondary" disabled={resetting}>
            Reset password
          </Button>
          <FormMessage ok={resetState.ok} message={resetState.message} />
        </form>
        <form action={toggle} className="flex flex-wrap items-center gap-2">
          <input type="hidden" name="userId" value={userId} />
          <input type="hidden" name="enable" value={disabled ? "true" : "false"} />
          <Button type="submit" variant="secondary" disabled={toggling}>
            {disabled ? `Enable ${username}` : `Disable ${username}`}
          </Button>
          <FormMessage ok={enableState.ok} message={enableState.message} />
        </form>
        <form action={endAll} className="flex flex-wrap items-center gap-2">
          <input type="hidden" name="userId" value={userId} />
          <Button type="submit" variant="secondary" disabled={ending}>
            Sign {username} out everywhere
          </Button>
          <FormMessage ok={sessionsState.ok} message={sessionsState.message} />
        </form>
        <form action={remove} className="flex flex-wrap items-center gap-2">
          <input type="hidden" name="userId" value={userId} />
          <label className="flex items-center gap-2">
            <input type="checkbox" name="confirm" aria-describedby={deleteState.errors?.confirm ? id("confirm-error") : undefined} />
            Yes, delete {username}
          </label>
          <Button type="submit" variant="danger" disabled={removing}>
            Delete {username}
          </Button>
          {deleteState.errors?.confirm ? (
            <p id={id("confirm-error")} className="text-sm text-red-700 dark:text-red-400">
              Confirmation {deleteState.errors.confirm.join("; ")}
            </p>
          ) : null}
          <FormMessage ok={deleteState.ok} message={deleteState.message} />
        </form>
      </div>
    </details>
  );
}
