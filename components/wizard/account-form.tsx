"use client";
// Wizard page 1: where the installation runs. Discovered clusters are offered, anything can still be typed.
import { Field } from "@/components/ui/field";
import { WizardForm, type WizardAction } from "./wizard-form";

export function AccountForm({
  action,
  defaults,
  clusters,
  regionFromSdk = false,
}: {
  action: WizardAction;
  defaults: Record<string, unknown>;
  clusters: string[];
  /** The region shown was filled in from the SDK's configuration, not saved by the admin. */
  regionFromSdk?: boolean;
}) {
  return (
    <WizardForm action={action} defaults={defaults}>
      {(f) => (
        <>
          <input type="hidden" name="name" value={String(defaults.name)} />
          <Field
            label="AWS region"
            name="region"
            defaultValue={f.v("region")}
            errors={f.e("region")}
            required
            help={
              <>
                Where the EKS cluster, the RDS database and the bucket live, as a region code such as eu-west-1. The partition (aws, aws-cn,
                aws-us-gov) follows from it.
                {regionFromSdk ? (
                  <span data-testid="region-source">
                    {" "}
                    Filled in from the AWS SDK&apos;s configured region (AWS_REGION or the profile&apos;s region): change it if Studio runs elsewhere.
                  </span>
                ) : null}
              </>
            }
          />
          <Field
            label="EKS cluster name"
            name="clusterName"
            list="cluster-choices"
            defaultValue={f.v("clusterName")}
            errors={f.e("clusterName")}
            required
            help="Its OIDC issuer is read with eks:DescribeCluster; the IAM OIDC provider and the roles' trust policies are built from it."
          />
          <datalist id="cluster-choices">
            {clusters.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </>
      )}
    </WizardForm>
  );
}
