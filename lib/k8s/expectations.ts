// What the cluster checks expect for an environment: the four service accounts with their roles (the same list
// the Helm values and the trust policies come from), the release, and the migration job's name.
import { partitionOf } from "@/lib/config/aws-names";
import type { EnvironmentSettings } from "@/lib/config/environment";
import { studioFullname } from "@/lib/helm/commands";
import { SERVICE_ACCOUNTS } from "@/lib/helm/profiles";
import { roleArn } from "@/lib/policies/arn";
import type { IdentityExpectations, PodIdentityAssociation } from "./checks";

type ExpectationSettings = Pick<
  EnvironmentSettings,
  "region" | "namespace" | "releaseName" | "chartProfile" | "rdsRoleName" | "s3RoleName" | (typeof SERVICE_ACCOUNTS)[number]["nameField"]
> &
  Partial<Pick<EnvironmentSettings, "rolePath">>;

/**
 * The migration job's name: `<studio.fullname>-database-migration` (RasaHQ/rasa-helm-charts, tag studio-2.6.0,
 * charts/studio/templates/studio/backend/database-migration-job.yaml). Unknown for a custom chart.
 */
export function migrationJobName(settings: Pick<EnvironmentSettings, "releaseName" | "chartProfile">): string | null {
  return settings.chartProfile === "custom" ? null : `${studioFullname(settings.releaseName)}-database-migration`;
}

export function identityExpectations(
  settings: ExpectationSettings,
  opts: {
    accountId: string;
    mode?: IdentityExpectations["mode"];
    associations?: PodIdentityAssociation[];
    roleChangedAt?: Date;
    cutoverAt?: Date;
    /** Required for the custom chart profile, whose job name the console cannot know. */
    migrationJobName?: string;
  },
): IdentityExpectations {
  const partition = partitionOf(settings.region);
  const jobName = opts.migrationJobName ?? migrationJobName(settings);
  if (!jobName) throw new Error("migrationJobName is required for the custom chart profile");
  return {
    mode: opts.mode ?? "irsa",
    releaseName: settings.releaseName,
    serviceAccounts: SERVICE_ACCOUNTS.map((sa) => ({
      name: settings[sa.nameField],
      purpose: sa.purpose,
      roleArn: roleArn(partition, opts.accountId, sa.role === "rds" ? settings.rdsRoleName : settings.s3RoleName, settings.rolePath),
      use: sa.path === "migrationServiceAccount" ? "migration" : "workload",
    })),
    associations: opts.associations,
    migrationJobName: jobName,
    roleChangedAt: opts.roleChangedAt,
    cutoverAt: opts.cutoverAt,
  };
}
