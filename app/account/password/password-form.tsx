"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-rules";
import { changePassword } from "./actions";

export function PasswordForm({ next }: { next?: string }) {
  const [state, action, pending] = useActionState(changePassword, {});
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="next" value={next ?? ""} />
      <Field label="Current password" name="current" type="password" autoComplete="current-password" required errors={state.errors?.current} />
      <Field
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        help={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        errors={state.errors?.password}
      />
      <Field label="Confirm new password" name="confirm" type="password" autoComplete="new-password" required errors={state.errors?.confirm} />
      <FormMessage ok={state.ok} message={state.message} />
      <Button type="submit" disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
