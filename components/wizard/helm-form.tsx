"use client";
// Wizard page 4: service accounts, who may assume the roles, the role names and the chart's value paths.
import { useState } from "react";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import { Warning } from "@/components/ui/warning";
import { CHART_PROFILE_CHOICES } from "@/lib/helm/profiles";
import { ChartDetector } from "./chart-detector";
import { WizardForm, type WizardAction } from "./wizard-form";

const SCOPES = [
  {
    value: "service-accounts",
    label: "Only Studio's service accounts (recommended)",
    help: "StringEquals on the token's audience and its exact subject: system:serviceaccount:<namespace>:<name> for each service account that uses the role.",
  },
  {
    value: "namespace",
    label: "Any service account in the namespace",
    help: "StringLike system:serviceaccount:<namespace>:*. Every workload in the namespace can assume the roles.",
  },
  {
    value: "cluster",
    label: "Any pod in the cluster (the guide's policy)",
    help: "Checks only the audience: every pod in the cluster can assume the roles and reach the database and the bucket.",
  },
] as const;

const IDENTITY_MODES = [
  {
    value: "irsa",
    label: "IRSA: IAM roles for service accounts",
    help: "The cluster's OIDC provider, a web-identity trust per role, and a role annotation on each service account. Works on every EKS version.",
  },
  {
    value: "pod-identity",
    label: "EKS Pod Identity",
    help: "The eks-pod-identity-agent add-on and one association per service account; roles trust pods.eks.amazonaws.com, no annotations. Recommended for new clusters (EKS 1.24+).",
  },
] as const;

const CUSTOM_PATHS = [
  ["databaseConfig", "Database config block", "config.database"],
  ["backendServiceAccount", "Backend service account", "backend.serviceAccount"],
  ["eventIngestionServiceAccount", "Event ingestion service account", "eventIngestion.serviceAccount"],
  ["migrationServiceAccount", "DB migration job service account", "backend.migration.serviceAccount"],
  ["modelServiceAccount", "Model service account", "rasa.rasa.serviceAccount"],
  ["modelServiceEnv", "Model service env list", "rasa.rasa.overrideEnv"],
] as const;

export function HelmForm({ action, defaults, backHref }: { action: WizardAction; defaults: Record<string, unknown>; backHref: string }) {
  // Stored settings may still say studio-3.x: the rc.11 profile under its earlier name.
  const [profile, setProfile] = useState(String(defaults.chartProfile === "studio-3.x" ? "studio-3.0-rc.11" : (defaults.chartProfile ?? "studio-2.x")));
  const [mode, setMode] = useState(String(defaults.eventIngestionMode ?? "colocated"));
  return (
    <WizardForm action={action} defaults={defaults} backHref={backHref}>
      {(f) => (
        <>
          <ChartDetector
            onDetected={(d) => {
              if (d.profile) setProfile(d.profile);
              if (d.eventIngestionMode) setMode(d.eventIngestionMode);
            }}
          />
          <SelectField
            label="Studio Helm chart"
            name="chartProfile"
            value={profile}
            onChange={(e) => setProfile(e.target.value)}
            errors={f.e("chartProfile")}
            options={CHART_PROFILE_CHOICES.map((c) => ({ value: c.id, label: `${c.label}: ${c.covers}` }))}
            help="The console never guesses the chart: pick the one you deploy (helm list shows its version), or let your current values pick it above. A chart silently ignores keys it does not read. If your chart is not listed, choose custom."
          />
          {profile === "studio-3.0-rc.16" ? (
            <SelectField
              label="Event ingestion (eventIngestion.mode)"
              name="eventIngestionMode"
              value={mode}
              onChange={(e) => setMode(e.target.value)}
              errors={f.e("eventIngestionMode")}
              options={[
                { value: "colocated", label: "colocated (the chart's default): runs in the app pod, as the app's service account" },
                { value: "separate", label: "separate: its own Deployment and service account" },
                { value: "disabled", label: "disabled: no event ingestion" },
              ]}
              help="Decides which service accounts get the RDS role: colocated and disabled need no event ingestion service account."
            />
          ) : (
            <input type="hidden" name="eventIngestionMode" value={mode} />
          )}
          {profile === "custom" ? (
            <fieldset className="grid gap-4 sm:grid-cols-2">
              <legend className="mb-1 text-sm font-medium">Value paths (dotted)</legend>
              {CUSTOM_PATHS.map(([key, label, placeholder]) => (
                <Field
                  key={key}
                  label={label}
                  name={`customPaths.${key}`}
                  placeholder={placeholder}
                  defaultValue={f.v(`customPaths.${key}`)}
                  errors={f.e(`customPaths.${key}`)}
                />
              ))}
              {f.e("customPaths") ? <p className="text-sm text-red-700 dark:text-red-400">Value paths {f.e("customPaths")!.join("; ")}</p> : null}
            </fieldset>
          ) : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Kubernetes namespace" name="namespace" defaultValue={f.v("namespace")} errors={f.e("namespace")} />
            <Field label="Helm release name" name="releaseName" defaultValue={f.v("releaseName")} errors={f.e("releaseName")} />
            <Field label="Backend service account" name="backendServiceAccount" defaultValue={f.v("backendServiceAccount")} errors={f.e("backendServiceAccount")} />
            <Field
              label="Event ingestion service account"
              name="eventIngestionServiceAccount"
              defaultValue={f.v("eventIngestionServiceAccount")}
              errors={f.e("eventIngestionServiceAccount")}
            />
            <Field
              label="DB migration job service account"
              name="migrationServiceAccount"
              defaultValue={f.v("migrationServiceAccount")}
              errors={f.e("migrationServiceAccount")}
            />
            <Field label="Model service account" name="modelServiceAccount" defaultValue={f.v("modelServiceAccount")} errors={f.e("modelServiceAccount")} />
          </div>
          <p className="text-xs text-slate-700 dark:text-slate-300">
            The chart defaults these service accounts to <code>create: false</code> with no name; the values file sets <code>create: true</code> and
            these names, so each trust policy&apos;s subject is exact.
          </p>
          <fieldset className="flex flex-col gap-3">
            <legend className="mb-1 text-sm font-medium">How pods get their roles</legend>
            {IDENTITY_MODES.map((m) => (
              <div key={m.value} className="flex items-start gap-2">
                <input
                  type="radio"
                  id={`identity-${m.value}`}
                  name="identityMode"
                  value={m.value}
                  defaultChecked={(f.v("identityMode") ?? "irsa") === m.value}
                  aria-describedby={`identity-${m.value}-help`}
                  className="mt-1"
                />
                <div>
                  <label htmlFor={`identity-${m.value}`} className="text-sm font-medium">
                    {m.label}
                  </label>
                  <p id={`identity-${m.value}-help`} className="text-xs text-slate-700 dark:text-slate-300">
                    {m.help}
                  </p>
                </div>
              </div>
            ))}
            {f.e("identityMode") ? <p className="text-sm text-red-700 dark:text-red-400">How pods get their roles {f.e("identityMode")!.join("; ")}</p> : null}
          </fieldset>
          <fieldset className="flex flex-col gap-3">
            <legend className="mb-1 text-sm font-medium">Who may assume the roles</legend>
            {SCOPES.map((s) => (
              <div key={s.value} className="flex items-start gap-2">
                <input
                  type="radio"
                  id={`scope-${s.value}`}
                  name="trustScope"
                  value={s.value}
                  defaultChecked={(f.v("trustScope") ?? "service-accounts") === s.value}
                  aria-describedby={`scope-${s.value}-help`}
                  className="mt-1"
                />
                <div>
                  <label htmlFor={`scope-${s.value}`} className="text-sm font-medium">
                    {s.label}
                  </label>
                  <p id={`scope-${s.value}-help`} className="text-xs text-slate-700 dark:text-slate-300">
                    {s.help}
                  </p>
                </div>
              </div>
            ))}
          </fieldset>
          <Warning title="Broader trust is a choice, not a default">
            The namespace and cluster scopes let other workloads assume the RDS and S3 roles. The plan repeats this warning.
          </Warning>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="RDS role name" name="rdsRoleName" defaultValue={f.v("rdsRoleName")} errors={f.e("rdsRoleName")} required />
            <Field label="S3 role name" name="s3RoleName" defaultValue={f.v("s3RoleName")} errors={f.e("s3RoleName")} required />
            <Field
              label="Role path (optional)"
              name="rolePath"
              defaultValue={f.v("rolePath")}
              errors={f.e("rolePath")}
              placeholder="/"
              help="Where new roles are filed, for example /platform/studio/. Part of the role ARN in values.yaml."
            />
            <Field
              label="Permissions boundary ARN (optional)"
              name="permissionsBoundaryArn"
              defaultValue={f.v("permissionsBoundaryArn")}
              errors={f.e("permissionsBoundaryArn")}
              help="A managed policy every role the console creates must carry, when your organisation's SCPs require one."
            />
          </div>
        </>
      )}
    </WizardForm>
  );
}
