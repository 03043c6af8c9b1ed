"use client";
// Starts an apply or verify run: asks for the DB admin credentials (never stored) and, for production-like
// environments, the environment's name as confirmation.
import { useActionState } from "react";
import type { ActionState } from "@/lib/auth/action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import type { ConnectionDescription } from "@/lib/postgres/connect";
import { DbCredentialsFields } from "@/components/runs/db-credentials-fields";
import { AdoptFields, type Adoption } from "@/components/plan/adopt-fields";
import { PendingAckField } from "@/components/plan/pending-ack-field";

export function RunForm({
  action,
  label,
  confirmName,
  idPrefix,
  connection,
  adoptions = [],
  pendingRds,
  children,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  label: string;
  confirmName?: string;
  idPrefix: string;
  connection?: ConnectionDescription | null;
  /** Roles and buckets the plan adopts: each needs its name typed. */
  adoptions?: Adoption[];
  /** RDS modifications pending besides IAM authentication, and the maintenance window. */
  pendingRds?: { names: string[]; window: string | null };
  children?: React.ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="flex flex-col gap-3" aria-label={label}>
      {children}
      <DbCredentialsFields errors={state.errors} prefix={idPrefix} connection={connection} />
      <AdoptFields adoptions={adoptions} errors={state.errors} idPrefix={idPrefix} />
      {pendingRds ? <PendingAckField pending={pendingRds.names} window={pendingRds.window} idPrefix={idPrefix} /> : null}
      {confirmName ? (
        <Field
          id={`${idPrefix}confirmName`}
          label={`Type ${confirmName} to confirm`}
          name="confirmName"
          autoComplete="off"
          errors={state.errors?.confirmName}
          help="This environment looks like production."
        />
      ) : null}
      <FormMessage ok={state.ok} message={state.message} />
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Starting…" : label}
        </Button>
      </div>
    </form>
  );
}
