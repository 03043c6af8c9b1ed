"use client";
// "Check access now": starts a read-only access run and opens its page; a refusal (another run is active) is shown.
import { useActionState } from "react";
import type { ActionState } from "@/lib/auth/action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

export function CheckAccessForm({ action }: { action: (prev: ActionState) => Promise<ActionState> }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} aria-label="Check access" className="flex flex-col gap-2">
      <FormMessage ok={state.ok} message={state.message} />
      <div>
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Starting…" : "Check access now"}
        </Button>
      </div>
    </form>
  );
}
