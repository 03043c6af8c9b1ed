import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { CUSTOM_PATHS, TEST_ROLE_ARNS, testSettings } from "@/tests/support/settings";
import { renderValues, valuePathsFor } from "./index";

const RDS_SA = (name: string) => ({
  create: true,
  name,
  annotations: { "eks.amazonaws.com/role-arn": TEST_ROLE_ARNS.rdsRoleArn },
});

const CHART_ENV_DEFAULTS = [
  { name: "RASA_PRO_LICENSE", valueFrom: { secretKeyRef: { name: "studio-secrets", key: "RASA_PRO_LICENSE_SECRET_KEY" } } },
  { name: "OPENAI_API_KEY", valueFrom: { secretKeyRef: { name: "studio-secrets", key: "OPENAI_API_KEY_SECRET_KEY" } } },
];

const STORAGE_ENV = [
  { name: "BUCKET_NAME", value: "studio-shared-storage-staging" },
  { name: "AWS_DEFAULT_REGION", value: "eu-west-1" },
  { name: "RASA_REMOTE_STORAGE", value: "aws" },
];

// Studio chart 2.x and the 3.0.0 release candidates read the same paths (see profiles.ts).
const STUDIO_CHART_VALUES = {
  config: { database: { useAwsIamAuth: "true", awsRegion: "eu-west-1", iamDbUsername: "studio_iam_user" } },
  backend: {
    serviceAccount: RDS_SA("studio-backend"),
    migration: { serviceAccount: RDS_SA("studio-database-migration") },
  },
  eventIngestion: { serviceAccount: RDS_SA("studio-event-ingestion") },
  rasa: {
    rasa: {
      serviceAccount: {
        create: true,
        name: "studio-model-service",
        annotations: { "eks.amazonaws.com/role-arn": TEST_ROLE_ARNS.s3RoleArn },
      },
      overrideEnv: [...CHART_ENV_DEFAULTS, ...STORAGE_ENV],
    },
  },
};

describe("renderValues", () => {
  it.each(["studio-2.x", "studio-3.x"] as const)("writes exactly the keys chart profile %s reads", (chartProfile) => {
    const values = parse(renderValues(testSettings({ chartProfile }), TEST_ROLE_ARNS));
    expect(values).toStrictEqual(STUDIO_CHART_VALUES);
  });

  it("keeps useAwsIamAuth the string \"true\", quoted in the file", () => {
    const text = renderValues(testSettings(), TEST_ROLE_ARNS);
    expect(text).toContain('useAwsIamAuth: "true"');
    expect(parse(text).config.database.useAwsIamAuth).toBe("true");
  });

  it("uses the settings' service-account names, the ones the trust policies name", () => {
    const settings = testSettings({
      backendServiceAccount: "be",
      eventIngestionServiceAccount: "ei",
      migrationServiceAccount: "mig",
      modelServiceAccount: "ms",
      iamDbUser: "iam_user_2",
      region: "us-east-1",
    });
    const values = parse(renderValues(settings, TEST_ROLE_ARNS));
    expect(values.backend.serviceAccount.name).toBe("be");
    expect(values.eventIngestion.serviceAccount.name).toBe("ei");
    expect(values.backend.migration.serviceAccount.name).toBe("mig");
    expect(values.rasa.rasa.serviceAccount.name).toBe("ms");
    expect(values.config.database).toStrictEqual({ useAwsIamAuth: "true", awsRegion: "us-east-1", iamDbUsername: "iam_user_2" });
    expect(values.rasa.rasa.overrideEnv).toContainEqual({ name: "AWS_DEFAULT_REGION", value: "us-east-1" });
  });

  it("writes every block at the custom paths, and nothing at the chart paths", () => {
    const customPaths = {
      databaseConfig: "global.db",
      backendServiceAccount: "app.serviceAccount",
      eventIngestionServiceAccount: "ingest.sa",
      migrationServiceAccount: "app.jobs.migrate.serviceAccount",
      modelServiceAccount: "rasapro.serviceAccount",
      modelServiceEnv: "rasapro.rasa.extraEnv",
    };
    const values = parse(renderValues(testSettings({ chartProfile: "custom", customPaths }), TEST_ROLE_ARNS));
    expect(values).toStrictEqual({
      global: { db: { useAwsIamAuth: "true", awsRegion: "eu-west-1", iamDbUsername: "studio_iam_user" } },
      app: {
        serviceAccount: RDS_SA("studio-backend"),
        jobs: { migrate: { serviceAccount: RDS_SA("studio-database-migration") } },
      },
      ingest: { sa: RDS_SA("studio-event-ingestion") },
      rasapro: {
        serviceAccount: {
          create: true,
          name: "studio-model-service",
          annotations: { "eks.amazonaws.com/role-arn": TEST_ROLE_ARNS.s3RoleArn },
        },
        // The chart behind custom paths is unknown, so no chart defaults are added to its list.
        rasa: { extraEnv: STORAGE_ENV },
      },
    });
  });

  it("defaults the custom database path to config.database", () => {
    const settings = testSettings({ chartProfile: "custom", customPaths: CUSTOM_PATHS });
    expect(valuePathsFor(settings).databaseConfig).toBe("config.database");
    expect(parse(renderValues(settings, TEST_ROLE_ARNS)).config.database.useAwsIamAuth).toBe("true");
  });

  it("puts a comment above each block saying what it is for", () => {
    const lines = renderValues(testSettings(), TEST_ROLE_ARNS).split("\n");
    // The comment lines right above the key that ends the path (keys are unique enough in this file).
    const commentAbove = (path: string[]) => {
      const indent = " ".repeat(2 * (path.length - 1));
      let at = -1;
      for (const [depth, key] of path.entries()) {
        at = lines.findIndex((line, i) => i > at && line === `${" ".repeat(2 * depth)}${key}:`);
        expect(at, `${path.join(".")} not found`).toBeGreaterThan(-1);
      }
      const above: string[] = [];
      for (let i = at - 1; i >= 0 && lines[i].startsWith(`${indent}#`); i--) above.unshift(lines[i]);
      return above.join("\n");
    };
    expect(commentAbove(["config", "database"])).toMatch(/IAM database authentication/);
    expect(commentAbove(["backend", "serviceAccount"])).toMatch(/Studio backend: assumes the RDS role/);
    expect(commentAbove(["backend", "serviceAccount"])).toMatch(/system:serviceaccount:rasa:studio-backend/);
    expect(commentAbove(["eventIngestion", "serviceAccount"])).toMatch(/Event ingestion: assumes the RDS role/);
    expect(commentAbove(["backend", "migration", "serviceAccount"])).toMatch(/DB migration job: assumes the RDS role/);
    expect(commentAbove(["rasa", "rasa", "serviceAccount"])).toMatch(/Rasa model service: assumes the S3 role/);
    expect(commentAbove(["rasa", "rasa", "overrideEnv"])).toMatch(/S3 bucket studio-shared-storage-staging/);
  });

  it("keeps a bucket name that looks like a number a string", () => {
    const values = parse(renderValues(testSettings({ bucketName: "20240101" }), TEST_ROLE_ARNS));
    expect(values.rasa.rasa.overrideEnv).toContainEqual({ name: "BUCKET_NAME", value: "20240101" });
  });

  it("refuses role ARNs that are not IAM roles or are in another partition", () => {
    expect(() => renderValues(testSettings(), { ...TEST_ROLE_ARNS, s3RoleArn: "arn:aws:s3:::bucket" })).toThrow(
      /s3RoleArn must be an IAM role ARN/,
    );
    expect(() =>
      renderValues(testSettings({ region: "cn-north-1" }), TEST_ROLE_ARNS),
    ).toThrow(/rdsRoleArn must be in partition aws-cn \(region cn-north-1\), not aws/);
  });

  it("refuses custom paths that would write two service accounts into one block", () => {
    const customPaths = { ...CUSTOM_PATHS, backendServiceAccount: "app.sa", eventIngestionServiceAccount: "app.sa" };
    expect(() => renderValues(testSettings({ chartProfile: "custom", customPaths }), TEST_ROLE_ARNS)).toThrow(
      /customPaths.eventIngestionServiceAccount must differ from customPaths.backendServiceAccount \(both are app.sa\)/,
    );
    // One service account shared on purpose (same name, same role) is allowed.
    const shared = testSettings({
      chartProfile: "custom",
      customPaths,
      eventIngestionServiceAccount: "studio-backend",
    });
    expect(parse(renderValues(shared, TEST_ROLE_ARNS)).app.sa).toStrictEqual(RDS_SA("studio-backend"));
  });

  it("refuses custom paths where one block sits inside a list", () => {
    // The model service account's block would sit inside the model service's env list (d.env).
    const customPaths = { ...CUSTOM_PATHS, modelServiceAccount: "d.env.sa" };
    expect(() => renderValues(testSettings({ chartProfile: "custom", customPaths }), TEST_ROLE_ARNS)).toThrow(
      /value path d.env must be a list, found a mapping: two chart-profile paths overlap/,
    );
  });
});
