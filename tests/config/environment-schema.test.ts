// The shared validation rules: every error names the field and the rule; defaults come from the schema.
import { describe, expect, it } from "vitest";
import { describeErrors, environmentSettingsSchema, fieldErrors, WIZARD_SCHEMAS } from "@/lib/config/environment";
import { formToInput, parseWizardStep, schemaDefaults } from "@/lib/config/wizard-form";
import { partitionOf, s3BucketNameSchema } from "@/lib/config/aws-names";
import { VALID_SETTINGS } from "@/tests/support/settings";

function form(entries: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.append(k, v);
  return f;
}

describe("environment settings", () => {
  it("fills the documented defaults", () => {
    const s = environmentSettingsSchema.parse(VALID_SETTINGS);
    expect(s).toMatchObject({
      dbKind: "instance",
      iamDbUser: "studio_iam_user",
      schemas: ["public"],
      reassignOwned: false,
      defaultPrivileges: true,
      dbTls: "verify-full",
      namespace: "rasa",
      chartProfile: "studio-2.x",
      trustScope: "service-accounts",
      rdsWaitTimeoutMinutes: 20,
    });
  });

  it("names the field and the rule for every bad value", () => {
    const r = environmentSettingsSchema.safeParse({
      ...VALID_SETTINGS,
      region: "Europe",
      bucketName: "Bad_Bucket",
      databaseName: 'x"; DROP TABLE y; --',
      iamDbUser: "a".repeat(64),
      dbPortOverride: "70000",
      trustScope: "everyone",
    });
    expect(r.success).toBe(false);
    expect(fieldErrors(r.error!)).toEqual({
      region: ["must be an AWS region code such as eu-west-1"],
      bucketName: ["must be lower-case letters, digits, '.' and '-', starting and ending with a letter or digit"],
      databaseName: ["must start with a letter or '_' and contain only ASCII letters, digits, '_' or '$'"],
      iamDbUser: ["must be at most 63 characters (PostgreSQL truncates longer names)"],
      dbPortOverride: ["must be 1-65535"],
      trustScope: ["must be service-accounts, namespace or cluster"],
    });
    expect(describeErrors(r.error!)).toContain("region must be an AWS region code such as eu-west-1");
  });

  it("refuses unicode look-alikes and empty identifiers", () => {
    expect(fieldErrors(environmentSettingsSchema.safeParse({ ...VALID_SETTINGS, iamDbUser: "studio_іam_user" }).error!)).toHaveProperty("iamDbUser");
    expect(fieldErrors(environmentSettingsSchema.safeParse({ ...VALID_SETTINGS, iamDbUser: "" }).error!).iamDbUser).toEqual(["must not be empty"]);
  });

  // The run grants the IAM user rds_iam, after which it can only log in with IAM tokens: the master user, the
  // superuser and the RDS built-ins would lose password login. Refused in the wizard, next to the field.
  it("refuses reserved and administrative role names for the IAM DB user", () => {
    const RULE = "must not be a reserved or administrative role (postgres, rdsadmin, rds_*, pg_*, public, none): the run grants it rds_iam and it would lose password login";
    for (const iamDbUser of ["postgres", "Postgres", "rdsadmin", "rds_iam", "rds_superuser", "public", "PUBLIC", "none", "pg_monitor", "pg_read_all_data"]) {
      const r = environmentSettingsSchema.safeParse({ ...VALID_SETTINGS, iamDbUser });
      expect(r.success, iamDbUser).toBe(false);
      expect(fieldErrors(r.error!), iamDbUser).toEqual({ iamDbUser: [RULE] });
      const page = parseWizardStep("database", form({ dbIdentifier: "studio-db", databaseName: "studio", iamDbUser }));
      expect(fieldErrors(page.error!), iamDbUser).toEqual({ iamDbUser: [RULE] });
    }
    // Names that merely contain them are fine; the original owner may be the master user (it keeps its password).
    for (const iamDbUser of ["postgres_iam", "studio_pg_user", "my_public"])
      expect(environmentSettingsSchema.safeParse({ ...VALID_SETTINGS, iamDbUser }).success, iamDbUser).toBe(true);
    expect(environmentSettingsSchema.safeParse({ ...VALID_SETTINGS, originalDbOwner: "postgres" }).success).toBe(true);
  });

  it("applies the cross-field rules", () => {
    const reassign = environmentSettingsSchema.safeParse({ ...VALID_SETTINGS, reassignOwned: true });
    expect(fieldErrors(reassign.error!)).toEqual({ originalDbOwner: ["is required when REASSIGN OWNED is chosen"] });
    const same = environmentSettingsSchema.safeParse({ ...VALID_SETTINGS, originalDbOwner: "studio_iam_user" });
    expect(fieldErrors(same.error!)).toEqual({ iamDbUser: ["must differ from the original owner: rds_iam would lock the password user out"] });
    const custom = environmentSettingsSchema.safeParse({ ...VALID_SETTINGS, chartProfile: "custom" });
    expect(fieldErrors(custom.error!)).toEqual({ customPaths: ["are required for the custom chart profile"] });
  });

  it("derives the partition from the region", () => {
    expect(partitionOf("eu-west-1")).toBe("aws");
    expect(partitionOf("cn-north-1")).toBe("aws-cn");
    expect(partitionOf("us-gov-west-1")).toBe("aws-us-gov");
  });
});

describe("wizard forms", () => {
  it("turns checkboxes, lists and blanks into what the schema expects", () => {
    const input = formToInput(
      "database",
      form({ dbIdentifier: "studio-db", databaseName: "studio", schemas: "public, app  audit", reassignOwned: "on", dbHostOverride: "", dbPortOverride: "5433" }),
    );
    expect(input).toMatchObject({ schemas: ["public", "app", "audit"], reassignOwned: true, defaultPrivileges: false, dbPortOverride: "5433" });
    expect(input.dbHostOverride).toBeUndefined();
    const parsed = parseWizardStep("database", form({ dbIdentifier: "studio-db", databaseName: "studio", reassignOwned: "on" }));
    expect(parsed.success).toBe(false);
    expect(fieldErrors(parsed.error!)).toEqual({ originalDbOwner: ["is required when REASSIGN OWNED is chosen"] });
  });

  it("collects custom value paths only for the custom chart profile", () => {
    const f = form({ chartProfile: "custom", rdsRoleName: "r", s3RoleName: "s", "customPaths.backendServiceAccount": "x.y" });
    const parsed = parseWizardStep("helm", f);
    expect(parsed.success).toBe(false);
    expect(Object.keys(fieldErrors(parsed.error!))).toEqual([
      "customPaths.eventIngestionServiceAccount",
      "customPaths.migrationServiceAccount",
      "customPaths.modelServiceAccount",
      "customPaths.modelServiceEnv",
    ]);
    expect(formToInput("helm", form({ chartProfile: "studio-2.x" })).customPaths).toBeUndefined();
  });

  it("shows the schema's defaults in the forms", () => {
    expect(schemaDefaults()).toMatchObject({ iamDbUser: "studio_iam_user", schemas: ["public"], namespace: "rasa", trustScope: "service-accounts" });
    expect(Object.keys(WIZARD_SCHEMAS)).toEqual(["account", "database", "storage", "helm"]);
  });

  it("takes the ownership choice, the databases REASSIGN may move, and the chart's event ingestion mode", () => {
    const db = parseWizardStep(
      "database",
      form({ dbIdentifier: "studio-db", databaseName: "studio", ownerAccess: "grants-only", reassignConfirmDatabases: "keycloak, analytics" }),
    );
    expect(db.success && db.data).toMatchObject({ ownerAccess: "grants-only", reassignConfirmDatabases: ["keycloak", "analytics"] });
    const bad = parseWizardStep("database", form({ dbIdentifier: "studio-db", databaseName: "studio", ownerAccess: "owner", reassignConfirmDatabases: "key-cloak" }));
    expect(describeErrors(bad.error!)).toBe(
      "ownerAccess must be membership or grants-only; reassignConfirmDatabases.0 must start with a letter or '_' and contain only ASCII letters, digits, '_' or '$'",
    );
    const helm = parseWizardStep("helm", form({ chartProfile: "studio-3.0-rc.16", eventIngestionMode: "separate", rdsRoleName: "r", s3RoleName: "s" }));
    expect(helm.success && helm.data).toMatchObject({ chartProfile: "studio-3.0-rc.16", eventIngestionMode: "separate" });
    const badHelm = parseWizardStep("helm", form({ chartProfile: "studio-4", eventIngestionMode: "sidecar", rdsRoleName: "r", s3RoleName: "s" }));
    expect(describeErrors(badHelm.error!)).toBe(
      "chartProfile must be studio-2.x, studio-3.0-rc.11, studio-3.0-rc.16 or custom; eventIngestionMode must be colocated, separate or disabled",
    );
    expect(schemaDefaults()).toMatchObject({ ownerAccess: "membership", reassignConfirmDatabases: [], eventIngestionMode: "colocated" });
  });
});

describe("bucket names", () => {
  const message = (bucketName: string) => {
    const r = s3BucketNameSchema.safeParse(bucketName);
    return r.success ? "accepted" : r.error.issues[0].message;
  };

  it("refuse every prefix and suffix S3 reserves, naming the rule", () => {
    for (const name of ["xn--studio", "sthree-studio", "sthree-configurator-x", "amzn-s3-demo-studio"])
      expect(message(name), name).toBe("must not start with a prefix S3 reserves (xn--, sthree-, amzn-s3-demo-)");
    for (const name of ["studio-s3alias", "studio--ol-s3", "studio.mrap", "studio--x-s3", "studio--table-s3"])
      expect(message(name), name).toBe("must not end with a suffix S3 reserves (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)");
    expect(message("studio-shared-storage-staging")).toBe("accepted");
    expect(message("my-s3alias-bucket")).toBe("accepted");
  });
});
