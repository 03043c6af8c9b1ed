// The DB admin user and password, asked for when a run that reaches the database starts, resumes or retries.
// Never stored: the browser forgets them with the form, the server with the run.
import { Field } from "@/components/ui/field";

export function DbCredentialsFields({ errors, prefix = "" }: { errors?: Record<string, string[]>; prefix?: string }) {
  return (
    <fieldset className="grid gap-3 sm:grid-cols-2">
      <legend className="mb-1 text-sm font-medium">Database admin (for the grants step; kept in memory for this run only)</legend>
      <Field id={`${prefix}dbAdminUser`} label="DB admin user" name="dbAdminUser" autoComplete="off" errors={errors?.dbAdminUser} />
      <Field
        id={`${prefix}dbAdminPassword`}
        label="DB admin password"
        name="dbAdminPassword"
        type="password"
        autoComplete="off"
        errors={errors?.dbAdminPassword}
      />
    </fieldset>
  );
}
