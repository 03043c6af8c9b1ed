"use client";
// Storage page, second half: how the models leave the volumes (a Job in the cluster or a folder on the console's
// machine) and how the console reaches the cluster (optional). Rules in lib/config/cluster-access.ts.
import { CheckboxField } from "@/components/ui/checkbox-field";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import type { FieldHelpers } from "./wizard-form";

const ACCESS = [
  { value: "none", label: "None: the console prints kubectl commands instead" },
  { value: "eks", label: "EKS API: DescribeCluster and a token from the console's AWS identity" },
  { value: "kubeconfig", label: "A kubeconfig file on the console's machine" },
] as const;

const SOURCES = [
  { value: "cluster-job", label: "A Job in the cluster reads the volume (runs as the model service account)" },
  { value: "folder", label: "A folder on the console's machine (kubectl cp output or a mounted volume)" },
] as const;

export function ClusterAccessFields({ f }: { f: FieldHelpers }) {
  return (
    <>
      <SelectField
        label="When copying from volumes: copy with"
        name="modelCopySource"
        options={SOURCES}
        defaultValue={f.v("modelCopySource") ?? "cluster-job"}
        errors={f.e("modelCopySource")}
        help="Only used when the models are copied from persistent volumes."
      />
      <Field
        label="Models folder on the console's machine"
        name="modelFolder"
        defaultValue={f.v("modelFolder")}
        errors={f.e("modelFolder")}
        help="Absolute path; each <model>.tar.gz in it (or in its models/ folder) is uploaded to the bucket, checksummed, skipped when already there."
      />
      <SelectField
        label="Cluster access (optional)"
        name="clusterAccess"
        options={ACCESS}
        defaultValue={f.v("clusterAccess") ?? "none"}
        errors={f.e("clusterAccess")}
        help="Lets the console check Studio's pods after the Helm upgrade and run the model copy. With EKS API the plan adds an access entry: read-only in Studio's namespace."
      />
      <Field label="Kubeconfig path" name="kubeconfigPath" defaultValue={f.v("kubeconfigPath")} errors={f.e("kubeconfigPath")} help="Only with a kubeconfig." />
      <Field label="Kubeconfig context" name="kubeContext" defaultValue={f.v("kubeContext")} errors={f.e("kubeContext")} help="Blank: the file's current context." />
      <CheckboxField
        label="Also grant edit rights in Studio's namespace"
        name="clusterEditRights"
        defaultChecked={f.checked("clusterEditRights")}
        help="Only if you want the console to restart Studio's deployments and run the model copy Job (AmazonEKSEditPolicy in the namespace). Without it the console gives the kubectl commands."
      />
    </>
  );
}
