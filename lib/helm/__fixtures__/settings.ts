// Test fixtures: a valid environment as the wizard stores it, and the role ARNs its plan would produce.
import { environmentSettingsSchema, type EnvironmentSettings } from "@/lib/config/environment";

export function settingsFor(overrides: Record<string, unknown> = {}): EnvironmentSettings {
  return environmentSettingsSchema.parse({
    name: "staging",
    region: "eu-west-1",
    clusterName: "studio-eks",
    dbIdentifier: "studio-db",
    databaseName: "studio",
    bucketName: "studio-shared-storage-staging",
    storageSituation: "already-s3",
    rdsRoleName: "studio-staging-rds-role",
    s3RoleName: "studio-staging-s3-role",
    ...overrides,
  });
}

export const ARNS = {
  rdsRoleArn: "arn:aws:iam::123456789012:role/studio-staging-rds-role",
  s3RoleArn: "arn:aws:iam::123456789012:role/studio-staging-s3-role",
};
