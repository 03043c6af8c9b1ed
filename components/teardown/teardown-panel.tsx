"use client";
// The teardown page for admins: "Plan the teardown" reads the account (a POST; nothing is saved) and shows every
// delete with its AWS call, resource and document, what is kept and why, and the AWS CLI equivalent; then the
// confirmed start of the run, holding the deletes that were shown.
import { useActionState } from "react";
import type { ActionState } from "@/lib/auth/action";
import type { TeardownPlan } from "@/lib/teardown/plan";
import { PlanView } from "@/components/plan/plan-view";
import { Button } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code-block";
import { FormMessage } from "@/components/ui/form-message";
import { Warning } from "@/components/ui/warning";
import { TeardownForm } from "./teardown-form";

type State = ActionState & { teardown?: TeardownPlan };
type Act = (prev: ActionState, form: FormData) => Promise<ActionState>;

export function TeardownPanel({
  planAction,
  startAction,
  environmentName,
  bucketName,
  dbIdentifier,
}: {
  planAction: (prev: State, form: FormData) => Promise<State>;
  startAction: Act;
  environmentName: string;
  bucketName: string;
  dbIdentifier: string;
}) {
  const [state, formAction, pending] = useActionState(planAction, {});
  const t = state.teardown;
  return (
    <div className="flex flex-col gap-4">
      <form action={formAction} aria-label="Plan the teardown">
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Reading the account…" : t ? "Read the account again" : "Read the account and plan the teardown"}
        </Button>
      </form>
      {t ? null : <FormMessage ok={state.ok} message={state.message} />}
      {t ? (
        <>
          <p data-testid="teardown-summary">
            {t.deletes} to delete, {t.kept} kept.
          </p>
          {t.plan.warnings.map((w) => (
            <Warning key={w} title="Warning" testId="plan-warning">
              {w}
            </Warning>
          ))}
          <PlanView plan={t.plan} teardown />
          <details>
            <summary className="cursor-pointer text-blue-800 underline dark:text-blue-300">The same deletes as an AWS CLI script</summary>
            <CodeBlock code={t.cli} label="teardown AWS CLI script" />
          </details>
          {t.deletes > 0 ? (
            <section aria-labelledby="teardown-run-title" className="flex flex-col gap-3 rounded-lg border border-red-300 p-4 dark:border-red-800">
              <h2 id="teardown-run-title" className="text-lg font-medium">
                Remove
              </h2>
              <TeardownForm
                action={startAction}
                environmentName={environmentName}
                reviewed={t.reviewed}
                bucketToConfirm={t.confirmNames.includes(bucketName) ? bucketName : undefined}
                databaseToConfirm={t.confirmNames.includes(dbIdentifier) ? dbIdentifier : undefined}
              />
            </section>
          ) : (
            <p data-testid="teardown-nothing">Nothing the console created for {environmentName} is left to remove.</p>
          )}
        </>
      ) : null}
    </div>
  );
}
