// One valid environment as the wizard stores it, for every test that needs settings: the raw input (what the
// wizard posts and the job store keeps) and the parsed settings with the schema's defaults filled in.
import { environmentSettingsSchema, type EnvironmentSettings } from "@/lib/config/environment";

/** The wizard's input before defaults; tests spread it to make one field invalid or store it as JSON. */
export const VALID_SETTINGS = {
  name: "staging",
  region: "eu-west-1",
  clusterName: "studio-eks",
  dbIdentifier: "studio-db",
  databaseName: "studio",
  bucketName: "studio-shared-storage-staging",
  storageSituation: "already-s3",
  rdsRoleName: "studio-staging-rds-role",
  s3RoleName: "studio-staging-s3-role",
};

/** The valid settings, parsed (so overrides must pass the schema too). */
export function testSettings(overrides: Record<string, unknown> = {}): EnvironmentSettings {
  return environmentSettingsSchema.parse({ ...VALID_SETTINGS, ...overrides });
}

/** The role ARNs a plan for these settings produces, in the test account 123456789012. */
export const TEST_ROLE_ARNS = {
  rdsRoleArn: "arn:aws:iam::123456789012:role/studio-staging-rds-role",
  s3RoleArn: "arn:aws:iam::123456789012:role/studio-staging-s3-role",
};

/** The paths a custom chart profile must name (the database block's path has a default). */
export const CUSTOM_PATHS = {
  backendServiceAccount: "a.sa",
  eventIngestionServiceAccount: "b.sa",
  migrationServiceAccount: "c.sa",
  modelServiceAccount: "d.sa",
  modelServiceEnv: "d.env",
};
