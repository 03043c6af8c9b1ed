"use client";
// Wizard page 3: the S3 bucket for models, and the guide's retrain-or-copy decision (only when leaving volumes).
import { Field } from "@/components/ui/field";
import { ClusterAccessFields } from "./cluster-access-fields";
import { WizardForm, type WizardAction } from "./wizard-form";

const SITUATIONS = [
  {
    value: "already-s3",
    label: "Models are already on S3",
    help: "No retraining and no copying: existing S3 models keep working. Only the bucket's settings and access are converged.",
  },
  {
    value: "copy-from-pv",
    label: "Moving from persistent volumes: copy the models to S3 (recommended)",
    help: "Models on the volumes will not be visible after the move. Copy them to the bucket before Studio switches, and nobody retrains.",
  },
  {
    value: "retrain",
    label: "Moving from persistent volumes: retrain all active assistants",
    help: "Plan the time: every active assistant must be retrained once after the move. Training data and assistant configurations are not affected.",
  },
] as const;

export function StorageForm({
  action,
  defaults,
  buckets,
  backHref,
}: {
  action: WizardAction;
  defaults: Record<string, unknown>;
  buckets: string[];
  backHref: string;
}) {
  return (
    <WizardForm action={action} defaults={defaults} backHref={backHref}>
      {(f) => (
        <>
          <Field
            label="Bucket name"
            name="bucketName"
            list="bucket-choices"
            defaultValue={f.v("bucketName")}
            errors={f.e("bucketName")}
            required
            help="Globally unique. Created when missing (versioning on, AES-256 or SSE-KMS, all four public-access blocks, TLS-only policy, lifecycle rules). A bucket the console did not create is adopted only when you confirm it at apply; one already on SSE-KMS keeps its key."
          />
          <Field
            label="KMS key ARN for SSE-KMS (optional)"
            name="bucketKmsKeyArn"
            defaultValue={f.v("bucketKmsKeyArn")}
            errors={f.e("bucketKmsKeyArn")}
            help="A customer managed key in this region: new objects are encrypted with it (S3 Bucket Keys on) and the S3 role gets kms:Decrypt and kms:GenerateDataKey on it. Empty: AES-256."
          />
          <Field
            label="Keep noncurrent model versions for (days)"
            name="noncurrentVersionExpiryDays"
            type="number"
            min={1}
            max={3650}
            defaultValue={f.v("noncurrentVersionExpiryDays") ?? "30"}
            errors={f.e("noncurrentVersionExpiryDays")}
            help="Lifecycle rules: overwritten or deleted versions expire after this many days; incomplete multipart uploads are aborted after 7 days."
          />
          <datalist id="bucket-choices">
            {buckets.map((b) => (
              <option key={b} value={b} />
            ))}
          </datalist>
          <fieldset className="flex flex-col gap-3" aria-describedby={f.e("storageSituation") ? "storage-error" : undefined}>
            <legend className="mb-1 text-sm font-medium">Where are your models today?</legend>
            {SITUATIONS.map((s, i) => (
              <div key={s.value} className="flex items-start gap-2">
                <input
                  type="radio"
                  id={`storage-${s.value}`}
                  name="storageSituation"
                  value={s.value}
                  defaultChecked={f.v("storageSituation") === s.value}
                  aria-describedby={`storage-${s.value}-help`}
                  aria-invalid={i === 0 && f.e("storageSituation") ? true : undefined}
                  className="mt-1"
                />
                <div>
                  <label htmlFor={`storage-${s.value}`} className="text-sm font-medium">
                    {s.label}
                  </label>
                  <p id={`storage-${s.value}-help`} className="text-xs text-slate-700 dark:text-slate-300">
                    {s.help}
                  </p>
                </div>
              </div>
            ))}
            {f.e("storageSituation") ? (
              <p id="storage-error" className="text-sm text-red-700 dark:text-red-400" aria-live="polite">
                Where are your models today? {f.e("storageSituation")!.join("; ")}
              </p>
            ) : null}
          </fieldset>
          <ClusterAccessFields f={f} />
        </>
      )}
    </WizardForm>
  );
}
