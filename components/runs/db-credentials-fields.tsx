// The DB admin user and password, asked for when a run that reaches the database starts, resumes or retries, with
// where and how they would travel shown right beside them. Never stored: the browser forgets them with the form,
// the server with the run. Without verified TLS the password is only sent when the admin ticks the acknowledgement.
import type { ConnectionDescription } from "@/lib/postgres/connect";
import { Field } from "@/components/ui/field";

export function DbCredentialsFields({
  errors,
  prefix = "",
  connection,
}: {
  errors?: Record<string, string[]>;
  prefix?: string;
  /** Where the password goes; absent when the database endpoint is not known yet. */
  connection?: ConnectionDescription | null;
}) {
  const ackId = `${prefix}acknowledgeUnverifiedTls`;
  return (
    <fieldset className="grid gap-3 sm:grid-cols-2">
      <legend className="mb-1 text-sm font-medium">Database admin (for the grants step; kept in memory for this run only)</legend>
      {connection ? (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs sm:col-span-2" data-testid="db-connection">
          <dt className="font-medium">Host</dt>
          <dd className="font-mono break-all">
            {connection.host}:{connection.port}/{connection.database}
          </dd>
          <dt className="font-medium">TLS</dt>
          <dd>{connection.tlsLabel}</dd>
          <dt className="font-medium">CA</dt>
          <dd>{connection.caLabel}</dd>
        </dl>
      ) : null}
      <Field id={`${prefix}dbAdminUser`} label="DB admin user" name="dbAdminUser" autoComplete="off" errors={errors?.dbAdminUser} />
      <Field
        id={`${prefix}dbAdminPassword`}
        label="DB admin password"
        name="dbAdminPassword"
        type="password"
        autoComplete="off"
        errors={errors?.dbAdminPassword}
      />
      {connection && !connection.passwordProtected ? (
        <div className="flex items-start gap-2 sm:col-span-2">
          <input
            id={ackId}
            name="acknowledgeUnverifiedTls"
            type="checkbox"
            className="mt-1 h-4 w-4"
            aria-describedby={`${ackId}-help${errors?.acknowledgeUnverifiedTls ? ` ${ackId}-error` : ""}`}
            aria-invalid={errors?.acknowledgeUnverifiedTls ? true : undefined}
          />
          <div>
            <label htmlFor={ackId} className="text-sm font-medium">
              Send the password without verified TLS
            </label>
            <p id={`${ackId}-help`} className="text-xs text-slate-700 dark:text-slate-300">
              TLS is off for this environment: only tick this when the connection is already encrypted (an SSM or kubectl tunnel).
            </p>
            {errors?.acknowledgeUnverifiedTls ? (
              <p id={`${ackId}-error`} className="text-xs text-red-700 dark:text-red-400">
                {errors.acknowledgeUnverifiedTls.join("; ")}
              </p>
            ) : null}
          </div>
        </div>
      ) : null}
    </fieldset>
  );
}
