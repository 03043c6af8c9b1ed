"use client";
// "Refresh plan": the explicit POST that reads the account and saves a new plan for review (admins).
import { useActionState } from "react";
import type { ActionState } from "@/lib/auth/action";
import type { ConnectionDescription } from "@/lib/postgres/connect";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { DbCredentialsFields } from "@/components/runs/db-credentials-fields";

/**
 * Refresh the plan; with the DB admin's credentials (optional, kept for this request only and only read with) the
 * plan reads the grants too, so a converged database shows every SQL row unchanged.
 */
export function RefreshPlanForm({
  action,
  hasPlan,
  connection,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  hasPlan: boolean;
  connection?: ConnectionDescription | null;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} aria-label="Refresh plan" className="flex flex-col gap-3">
      <details className="text-sm" open={!!state.errors}>
        <summary className="cursor-pointer">Also read the grants (database credentials, used read-only for this refresh only)</summary>
        <div className="mt-2">
          <DbCredentialsFields errors={state.errors} prefix="refresh-" connection={connection} />
        </div>
      </details>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant={hasPlan ? "secondary" : "primary"} disabled={pending}>
          {pending ? "Reading the account…" : hasPlan ? "Refresh plan" : "Compute the plan"}
        </Button>
        <FormMessage ok={state.ok} message={state.message} />
      </div>
    </form>
  );
}
