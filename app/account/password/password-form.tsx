"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { NewPasswordFields } from "@/components/auth/new-password-fields";
import { changePassword } from "./actions";

export function PasswordForm({ next }: { next?: string }) {
  const [state, action, pending] = useActionState(changePassword, {});
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="next" value={next ?? ""} />
      <Field label="Current password" name="current" type="password" autoComplete="current-password" required errors={state.errors?.current} />
      <NewPasswordFields label="New password" errors={state.errors?.password} confirmLabel="Confirm new password" confirmErrors={state.errors?.confirm} />
      <FormMessage ok={state.ok} message={state.message} />
      <Button type="submit" disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
