"use client";
import { useActionState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { changeRole } from "./actions";

export function RoleForm({ userId, username, role }: { userId: string; username: string; role: string }) {
  const [state, action, pending] = useActionState(changeRole, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <label className="sr-only" htmlFor={`role-${userId}`}>
        Role of {username}
      </label>
      <select id={`role-${userId}`} name="role" defaultValue={role} className="rounded-md border border-slate-400 bg-white px-2 py-1 text-sm dark:border-slate-500 dark:bg-slate-900">
        <option value="viewer">viewer</option>
        <option value="admin">admin</option>
      </select>
      <button type="submit" disabled={pending} className="rounded-md border border-slate-400 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-500 dark:hover:bg-slate-800">
        Set role
      </button>
      <FormMessage ok={state.ok} message={state.message} />
    </form>
  );
}
