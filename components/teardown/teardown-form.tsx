"use client";
// The teardown form: the environment's name typed to confirm (as GitHub asks before deleting a repository), the
// bucket's name typed to delete it with the models it holds (left empty, the bucket is kept), and the reviewed
// deletes carried back so the run deletes nothing the admin did not see.
import { useActionState } from "react";
import type { ActionState } from "@/lib/auth/action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { useFocusFirstError } from "@/components/ui/use-focus-first-error";

type Act = (prev: ActionState, form: FormData) => Promise<ActionState>;

export function TeardownForm({
  action,
  environmentName,
  reviewed,
  bucketToConfirm,
  databaseToConfirm,
}: {
  action: Act;
  environmentName: string;
  reviewed: string[];
  /** The bucket that still holds objects: deleted only when its name is typed. */
  bucketToConfirm?: string;
  /** The database whose IAM authentication is on: turned off only when its identifier is typed. */
  databaseToConfirm?: string;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const form = useFocusFirstError<HTMLFormElement>(state.errors);
  return (
    <form ref={form} action={formAction} className="flex flex-col gap-3" aria-label="Remove what the console created">
      <input type="hidden" name="reviewed" value={JSON.stringify(reviewed)} />
      {bucketToConfirm ? (
        <ConfirmField
          name="confirmBucket"
          label={`To delete S3 bucket ${bucketToConfirm} with every object in it, type its name`}
          errors={state.errors?.confirmBucket}
          help="Left empty, the bucket and the models in it are kept; everything else is removed."
        />
      ) : null}
      {databaseToConfirm ? (
        <ConfirmField
          name="confirmDatabase"
          label={`To also turn IAM database authentication off on ${databaseToConfirm}, type its identifier`}
          errors={state.errors?.confirmDatabase}
          help="Every IAM user of the database loses its login, other applications' too. Left empty, it stays on."
        />
      ) : null}
      <ConfirmField
        name="confirmEnvironment"
        label={`Type ${environmentName} to confirm`}
        required
        errors={state.errors?.confirmEnvironment}
        help="The run deletes only the rows marked delete above, and refuses if the account now needs a delete you did not review."
      />
      <FormMessage ok={state.ok} message={state.message} />
      <div>
        <Button type="submit" variant="danger" disabled={pending}>
          {pending ? "Starting…" : "Remove what the console created"}
        </Button>
      </div>
    </form>
  );
}

/** A name typed to confirm something that cannot be undone: no autocomplete, no spell check. */
function ConfirmField({ name, label, help, errors, required }: { name: string; label: string; help: string; errors?: string[]; required?: boolean }) {
  return (
    <Field label={label} name={name} id={`teardown-${name}`} autoComplete="off" spellCheck={false} required={required} errors={errors} help={help} />
  );
}
