"use client";
// "Refresh plan": the explicit POST that reads the account and saves a new plan for review (admins).
import { useActionState } from "react";
import type { ActionState } from "@/lib/auth/action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

export function RefreshPlanForm({ action, hasPlan }: { action: (prev: ActionState) => Promise<ActionState>; hasPlan: boolean }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} aria-label="Refresh plan" className="flex flex-wrap items-center gap-3">
      <Button type="submit" variant={hasPlan ? "secondary" : "primary"} disabled={pending}>
        {pending ? "Reading the account…" : hasPlan ? "Refresh plan" : "Compute the plan"}
      </Button>
      <FormMessage ok={state.ok} message={state.message} />
    </form>
  );
}
