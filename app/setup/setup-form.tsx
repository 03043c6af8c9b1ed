"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { NewPasswordFields } from "@/components/auth/new-password-fields";
import { createFirstAdmin } from "./actions";

export function SetupForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState(createFirstAdmin, {});
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="token" value={token} />
      <Field label="Admin username" name="username" autoComplete="username" required defaultValue={state.values?.username} errors={state.errors?.username} />
      <NewPasswordFields label="Password" errors={state.errors?.password} confirmLabel="Confirm password" confirmErrors={state.errors?.confirm} />
      <FormMessage ok={state.ok} message={state.message} />
      <Button type="submit" disabled={pending}>
        Create admin
      </Button>
    </form>
  );
}
