"use client";
// One panel for both runs of the plan page: the DB admin's credentials are asked once (never stored), and the
// admin then applies the plan or verifies by read-back, the clicked button's `intent` saying which. An
// environment named like production is confirmed by typing its name before an apply. When something blocks the
// apply, Verify stays available.
import { useActionState, useState } from "react";
import type { ActionState } from "@/lib/auth/action";
import type { ConnectionDescription } from "@/lib/postgres/connect";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { useFocusFirstError } from "@/components/ui/use-focus-first-error";
import { DbCredentialsFields } from "@/components/runs/db-credentials-fields";
import { AdoptFields, type Adoption } from "@/components/plan/adopt-fields";
import { PendingAckField } from "@/components/plan/pending-ack-field";

type Act = (prev: ActionState, form: FormData) => Promise<ActionState>;

export function RunPanel({
  action,
  planId,
  connection,
  confirmName,
  applyBlocked,
  adoptions = [],
  pendingRds,
}: {
  action: Act;
  planId: string;
  connection?: ConnectionDescription | null;
  confirmName?: string;
  /** Why the plan may not be applied now; Verify is still offered. */
  applyBlocked?: string | null;
  /** Roles and buckets the plan adopts: each needs its name typed to apply. */
  adoptions?: Adoption[];
  /** RDS modifications pending besides IAM authentication, and the maintenance window. */
  pendingRds?: { names: string[]; window: string | null };
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const [intent, setIntent] = useState<"apply" | "verify">("apply");
  const form = useFocusFirstError<HTMLFormElement>(state.errors);
  return (
    <form ref={form} action={formAction} className="flex flex-col gap-3" aria-label="Apply or verify">
      <ul className="list-disc pl-5 text-sm">
        <li>
          <strong>Apply the plan</strong> makes exactly the changes above. It re-reads the account first and refuses, showing what differs, if
          anything changed since this plan was computed. You can leave the run&apos;s page: the run goes on.
        </li>
        <li>
          <strong>Verify by read-back</strong> reads everything back (roles, policies, bucket settings, RDS flag, the grants) and checks that
          nothing is left to change; it changes nothing. A DBA who runs grants.sql by hand: apply without DB credentials, then use{" "}
          <em>Verify grants run by hand</em> on the run page.
        </li>
      </ul>
      <input type="hidden" name="planId" value={planId} />
      <DbCredentialsFields errors={state.errors} prefix="run-" connection={connection} />
      {applyBlocked ? null : <AdoptFields adoptions={adoptions} errors={state.errors} idPrefix="run-" />}
      {pendingRds && !applyBlocked ? <PendingAckField pending={pendingRds.names} window={pendingRds.window} idPrefix="run-" /> : null}
      {confirmName && !applyBlocked ? (
        <Field
          id="run-confirmName"
          label={`Type ${confirmName} to confirm`}
          name="confirmName"
          autoComplete="off"
          errors={state.errors?.confirmName}
          help="This environment looks like production: needed to apply, not to verify."
        />
      ) : null}
      {applyBlocked ? (
        <p className="text-sm" data-testid="apply-blocked">
          <span aria-hidden="true">⊘ </span>
          Apply is not offered: {applyBlocked}
        </p>
      ) : null}
      <FormMessage ok={state.ok} message={state.message} />
      <div className="flex flex-wrap gap-3">
        {applyBlocked ? null : (
          <Button type="submit" name="intent" value="apply" onClick={() => setIntent("apply")} disabled={pending}>
            {pending && intent === "apply" ? "Starting…" : "Apply the plan"}
          </Button>
        )}
        <Button type="submit" name="intent" value="verify" variant="secondary" onClick={() => setIntent("verify")} disabled={pending}>
          {pending && intent === "verify" ? "Starting…" : "Verify by read-back"}
        </Button>
      </div>
    </form>
  );
}
