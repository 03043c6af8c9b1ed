// What to run after downloading the values: the upgrade, the restart that hands pods their role, and the checks
// that show each service account carries the right role and pods really assume it.
import { environmentNameSchema, type EnvironmentSettings } from "@/lib/config/environment";
import { profileFor } from "./profiles";
import { ROLE_ARN_ANNOTATION } from "./apply-values";

export interface HelmCommand {
  title: string;
  command: string;
  why: string;
}

/** Where Rasa publishes the Studio chart (the chart README's install source). */
export const STUDIO_CHART_REFERENCE = "oci://europe-west3-docker.pkg.dev/rasa-releases/helm-charts/studio";

/** Placeholder left in the upgrade command: the chart version the release runs now. */
export const CHART_VERSION_PLACEHOLDER = "<chart-version>";

type CommandSettings = Pick<
  EnvironmentSettings,
  | "name"
  | "namespace"
  | "releaseName"
  | "chartProfile"
  | "rdsRoleName"
  | "s3RoleName"
  | "backendServiceAccount"
  | "eventIngestionServiceAccount"
  | "migrationServiceAccount"
  | "modelServiceAccount"
  | "customPaths"
> &
  Partial<Pick<EnvironmentSettings, "eventIngestionMode">>;

/** `<environment>-values.yaml`, the name the download and the upgrade command use. */
export function valuesFileName(envName: string): string {
  const parsed = environmentNameSchema.safeParse(envName);
  if (!parsed.success) throw new Error(`environment name ${parsed.error.issues[0].message}`);
  return `${parsed.data}-values.yaml`;
}

/**
 * `<environment>-values.merged.yaml`: the merge of the admin's own file, named apart from the plain download so
 * both can sit in one folder (and neither overwrites the other).
 */
export function mergedValuesFileName(envName: string): string {
  return valuesFileName(envName).replace(/-values\.yaml$/, "-values.merged.yaml");
}

export function helmCommands(settings: CommandSettings): HelmCommand[] {
  const ns = arg(settings.namespace);
  const profile = profileFor(settings);
  const known = profile.backendDeploymentSuffix !== null;
  // The Studio chart names its workloads after "studio.fullname" (the release name, suffixed with -studio
  // unless it already contains it): `-backend` in 2.x, `-app` in 3.0-rc.16; the Rasa Pro subchart is fixed to
  // `rasapro`. Unknown for custom charts.
  const backendDeployment = known ? `${studioFullname(settings.releaseName)}${profile.backendDeploymentSuffix}` : "<backend-deployment>";
  const modelDeployment = known ? "rasapro" : "<model-service-deployment>";

  const serviceAccountChecks = profile.serviceAccounts.map((sa) => {
    const role = sa.role === "rds" ? settings.rdsRoleName : settings.s3RoleName;
    return {
      title: `Check service account ${settings[sa.nameField]} (${profile.purposes[sa.path] ?? sa.purpose})`,
      command: `kubectl get sa ${arg(settings[sa.nameField])} -n ${ns} -o yaml`,
      why:
        `metadata.annotations must show ${ROLE_ARN_ANNOTATION}: arn:…:iam::<account>:role/${role}. ` +
        (sa.path === "migrationServiceAccount"
          ? "The chart creates this one as a Helm hook just before the migration job, so it exists once an upgrade has run."
          : "If it is missing, the chart did not read the value path: check the chart profile."),
    };
  });

  return [
    {
      title: "Upgrade the release",
      command:
        `helm upgrade ${arg(settings.releaseName)} ${STUDIO_CHART_REFERENCE} --version ${CHART_VERSION_PLACEHOLDER}` +
        ` --namespace ${ns} -f ${valuesFileName(settings.name)}`,
      why:
        "Use the merged file (your full values with the console's changes): keys missing from the file fall back to the chart's " +
        "defaults and Helm replaces lists such as overrideEnv as a whole. Keep --version at the chart version you run now " +
        "(helm list shows it): another major version reads other value paths. Use your own chart reference if you install from a mirror.",
    },
    {
      title: "Restart the pods",
      command: `kubectl rollout restart deployment -n ${ns}`,
      why:
        "EKS hands a pod its role (AWS_ROLE_ARN and the web-identity token) only when the pod starts, so pods running before the " +
        "upgrade keep their old identity. This restarts every deployment in the namespace; the migration job already runs anew on each upgrade.",
    },
    ...serviceAccountChecks,
    {
      title: "Check the backend's AWS identity",
      command: `kubectl exec -n ${ns} deploy/${arg(backendDeployment)} -- aws sts get-caller-identity`,
      why:
        `"Arn" must be arn:…:sts::<account>:assumed-role/${settings.rdsRoleName}/…; the node's role instead means the pod was ` +
        "not restarted or its service account has no annotation. Needs the AWS CLI in the image; otherwise use the throwaway pod below.",
    },
    {
      title: "Check the model service's AWS identity",
      command: `kubectl exec -n ${ns} deploy/${arg(modelDeployment)} -- aws sts get-caller-identity`,
      why: `"Arn" must be arn:…:sts::<account>:assumed-role/${settings.s3RoleName}/…. Needs the AWS CLI in the image.`,
    },
    {
      title: "Check a service account's AWS identity from a throwaway pod",
      command:
        `kubectl run sts-check -n ${ns} --rm -i --restart=Never --image=amazon/aws-cli ` +
        `--overrides=${quote(JSON.stringify({ apiVersion: "v1", spec: { serviceAccountName: settings.backendServiceAccount } }))}` +
        " -- sts get-caller-identity",
      why:
        `Runs the AWS CLI as ${settings.backendServiceAccount} when the Studio images have no CLI; expect assumed-role/${settings.rdsRoleName}. ` +
        `Put ${settings.modelServiceAccount} in serviceAccountName to check the S3 role (${settings.s3RoleName}).`,
    },
  ];
}

/** The chart's "studio.fullname" for a release, assuming no nameOverride/fullnameOverride. */
export function studioFullname(releaseName: string): string {
  const name = releaseName.includes("studio") ? releaseName : `${releaseName}-studio`;
  return name.slice(0, 63).replace(/-+$/, "");
}

// Settings are validated Kubernetes names; quote anything else anyway, since these lines get pasted into a
// shell. `<placeholders>` stay as they are: they are there to be replaced.
function arg(value: string): string {
  return /^[A-Za-z0-9._-]+$/.test(value) || /^<[a-z-]+>$/.test(value) ? value : quote(value);
}

function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
