// A new password (with the rule as help) and, when asked for, its confirmation: the setup, add-user, reset and
// change-password forms all choose passwords the same way.
import { Field } from "@/components/ui/field";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-rules";

export function NewPasswordFields({
  label,
  errors,
  confirmLabel,
  confirmErrors,
  id,
  help = `At least ${MIN_PASSWORD_LENGTH} characters.`,
}: {
  label: string;
  errors?: string[];
  /** Ask for the password twice (the form then checks `confirm`). */
  confirmLabel?: string;
  confirmErrors?: string[];
  /** For forms repeated on one page (one per user). */
  id?: string;
  help?: string;
}) {
  return (
    <>
      <Field id={id} label={label} name="password" type="password" autoComplete="new-password" required help={help} errors={errors} />
      {confirmLabel ? (
        <Field label={confirmLabel} name="confirm" type="password" autoComplete="new-password" required errors={confirmErrors} />
      ) : null}
    </>
  );
}
