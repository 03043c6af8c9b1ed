"use client";
// Wizard page 2: the RDS database, the IAM database user and what it is granted (guide step 2).
import { CheckboxField } from "@/components/ui/checkbox-field";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import { TextareaField } from "@/components/ui/textarea-field";
import { Warning } from "@/components/ui/warning";
import { WizardForm, type WizardAction } from "./wizard-form";

export interface DatabaseChoiceOption {
  kind: "instance" | "cluster";
  id: string;
  engine: string;
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
  return (
    <WizardForm action={action} defaults={defaults} backHref={backHref}>
      {(f) => (
        <>
          <SelectField
            label="Database kind"
            name="dbKind"
            defaultValue={f.v("dbKind") ?? "instance"}
            errors={f.e("dbKind")}
            options={[
              { value: "instance", label: "RDS DB instance" },
              { value: "cluster", label: "Aurora DB cluster" },
            ]}
            help="IAM authentication and the rds-db:connect resource id (db-… or cluster-…) belong to the instance, or to the cluster for Aurora."
          />
          <Field
            label="DB instance or cluster identifier"
            name="dbIdentifier"
            list="db-choices"
            defaultValue={f.v("dbIdentifier")}
            errors={f.e("dbIdentifier")}
            required
            help="The console reads its resource id (DbiResourceId / DbClusterResourceId) from RDS: the guide's instance name is not what rds-db:connect needs."
          />
          <datalist id="db-choices">
            {databases.map((d) => (
              <option key={`${d.kind}:${d.id}`} value={d.id}>{`${d.kind === "cluster" ? "Aurora cluster" : "instance"} · ${d.engine}`}</option>
            ))}
          </datalist>
          <Field label="Database name" name="databaseName" defaultValue={f.v("databaseName")} errors={f.e("databaseName")} required help="The PostgreSQL database Studio uses." />
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
            help="The password user Studio uses today. It keeps its password (Keycloak still logs in with it) and is never granted rds_iam."
          />
          <CheckboxField
            label="Grant default privileges for objects the owner creates later"
            name="defaultPrivileges"
            defaultChecked={f.checked("defaultPrivileges")}
            help="ALTER DEFAULT PRIVILEGES, so tables created after today stay reachable by the IAM user."
          />
          <CheckboxField
            label="Transfer ownership (REASSIGN OWNED BY the original user TO the IAM user)"
            name="reassignOwned"
            defaultChecked={f.checked("reassignOwned")}
            help="Optional in the guide."
          />
          <Warning title="About REASSIGN OWNED">
            Every table, sequence and schema the original user owns moves to the IAM user. Migrations run as the IAM user can then alter them, but
            anything still connecting as the original user (Keycloak, scripts) loses owner rights. It cannot be undone by the console.
          </Warning>
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
          <SelectField
            label="TLS to the database"
            name="dbTls"
            defaultValue={f.v("dbTls") ?? "verify-full"}
            errors={f.e("dbTls")}
            options={[
              { value: "verify-full", label: "verify-full (recommended)" },
              { value: "disable", label: "disable (not recommended)" },
            ]}
            help="IAM tokens require TLS on RDS; turning it off is only for tunnels that already encrypt."
          />
          <TextareaField
            label="CA bundle (PEM)"
            name="dbCaBundle"
            data-max-bytes={1_000_000}
            data-max-bytes-rule="must be under 1 MB"
            defaultValue={f.v("dbCaBundle")}
            errors={f.e("dbCaBundle")}
            help="Paste the RDS global bundle if the system CAs do not include it. Empty = system CAs."
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
