"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { NewPasswordFields } from "@/components/auth/new-password-fields";
import { addUser } from "./actions";

export function AddUserForm() {
  const [state, action, pending] = useActionState(addUser, {});
  return (
    <form action={action} className="grid gap-4 sm:grid-cols-4 sm:items-end" noValidate aria-label="Add user">
      <Field label="Username" name="username" autoComplete="off" required defaultValue={state.values?.username} errors={state.errors?.username} />
      <NewPasswordFields label="Initial password" errors={state.errors?.password} />
      <div className="flex flex-col gap-1">
        <label htmlFor="field-role" className="text-sm font-medium">
          Role
        </label>
        <select id="field-role" name="role" defaultValue={state.values?.role ?? "viewer"} className="rounded-md border border-slate-400 bg-white px-3 py-2 text-sm dark:border-slate-500 dark:bg-slate-900">
          <option value="viewer">viewer (reviewer, read-only)</option>
          <option value="admin">admin</option>
        </select>
      </div>
      <Button type="submit" disabled={pending}>
        Add user
      </Button>
      <div className="sm:col-span-4">
        <FormMessage ok={state.ok} message={state.message} />
      </div>
    </form>
  );
}
