import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { TEST_ROLE_ARNS, testSettings } from "@/tests/support/settings";
import { mergeValues, renderValues, ValuesYamlError, type DiffLine } from "./index";

// Shaped like a Studio 2.x values.yaml in use: the chart's layout (empty flow maps, quoted empty strings,
// comments between and after keys) plus keys of the operator's own.
const EXISTING = `# Production values for Studio, kept in git.
config:
  ingressHost: studio.example.com
  database:
    host: "studio-db.abc.eu-west-1.rds.amazonaws.com"
    port: "5432"
    username: "studio"
    # Keycloak keeps the password user.
    keycloakDatabaseName: "keycloak"
    useAwsIamAuth: ""
    awsRegion: ""
    iamDbUsername: ""

backend:
  replicaCount: 2
  serviceAccount:
    # -- create a service account
    create: false
    annotations: {}
    name: ""
  migration:
    enabled: true
    serviceAccount:
      create: false
      annotations: {}
      name: ""

eventIngestion:
  enabled: true
  serviceAccount:
    create: false
    annotations:
      team: data
    name: ""

rasa:
  enabled: true
  fullnameOverride: rasapro
  rasa:
    overrideEnv:
      - name: "RASA_PRO_LICENSE"
        valueFrom:
          secretKeyRef:
            name: "studio-secrets"
            key: "RASA_PRO_LICENSE_SECRET_KEY"
      - name: BUCKET_NAME
        value: old-bucket
      - name: MAX_PARALLEL_TRAININGS
        value: "5"
      - name: BUCKET_NAME
        value: older-bucket
    resources: {}
    # Set limits here once the cluster is sized.
    #   cpu: 100m

# Operator-owned keys below.
networkPolicy:
  enabled: false
`;

const changed = (diff: DiffLine[]) => diff.filter((line) => line.kind !== "same").map((l) => `${l.kind === "added" ? "+" : "-"}${l.text}`);

describe("mergeValues", () => {
  const settings = testSettings();

  it("sets the keys and shows exactly the changed lines in the diff", () => {
    const { diff } = mergeValues(EXISTING, settings, TEST_ROLE_ARNS);
    expect(changed(diff!)).toStrictEqual([
      '-    useAwsIamAuth: ""',
      '-    awsRegion: ""',
      '-    iamDbUsername: ""',
      '+    useAwsIamAuth: "true"',
      '+    awsRegion: "eu-west-1"',
      '+    iamDbUsername: "studio_iam_user"',
      "-    create: false",
      "-    annotations: {}",
      '-    name: ""',
      "+    create: true",
      "+    annotations:",
      `+      eks.amazonaws.com/role-arn: ${TEST_ROLE_ARNS.rdsRoleArn}`,
      '+    name: "studio-backend"',
      "-      create: false",
      "-      annotations: {}",
      '-      name: ""',
      "+      create: true",
      "+      annotations:",
      `+        eks.amazonaws.com/role-arn: ${TEST_ROLE_ARNS.rdsRoleArn}`,
      '+      name: "studio-database-migration"',
      "-    create: false",
      "+    create: true",
      '-    name: ""',
      `+      eks.amazonaws.com/role-arn: ${TEST_ROLE_ARNS.rdsRoleArn}`,
      '+    name: "studio-event-ingestion"',
      "-        value: old-bucket",
      "+        value: studio-shared-storage-staging",
      "-      - name: BUCKET_NAME",
      "-        value: older-bucket",
      "+      - name: AWS_DEFAULT_REGION",
      "+        value: eu-west-1",
      "+      - name: RASA_REMOTE_STORAGE",
      "+        value: aws",
      "+    # Rasa model service: assumes the S3 role. Created with this exact name: the role's trust policy names",
      "+    # system:serviceaccount:rasa:studio-model-service.",
      "+    serviceAccount:",
      "+      create: true",
      "+      name: studio-model-service",
      "+      annotations:",
      `+        eks.amazonaws.com/role-arn: ${TEST_ROLE_ARNS.s3RoleArn}`,
    ]);
  });

  it("keeps unrelated keys, their values, comments and order", () => {
    const { yaml } = mergeValues(EXISTING, settings, TEST_ROLE_ARNS);
    const before = parse(EXISTING);
    const after = parse(yaml);
    expect(Object.keys(after)).toStrictEqual(Object.keys(before));
    expect(Object.keys(after.config.database)).toStrictEqual(Object.keys(before.config.database));
    expect(Object.keys(after.backend)).toStrictEqual(["replicaCount", "serviceAccount", "migration"]);
    expect(after.config.ingressHost).toBe("studio.example.com");
    expect(after.config.database.host).toBe(before.config.database.host);
    expect(after.backend.replicaCount).toBe(2);
    expect(after.eventIngestion.serviceAccount.annotations.team).toBe("data");
    expect(after.networkPolicy).toStrictEqual({ enabled: false });
    for (const comment of [
      "# Production values for Studio, kept in git.",
      "    # Keycloak keeps the password user.",
      "    # -- create a service account",
      "# Operator-owned keys below.",
    ])
      expect(yaml).toContain(`${comment}\n`);
    // A comment that closes a block stays right below the key it is about, above the new block.
    expect(yaml).toContain("    resources: {}\n    # Set limits here once the cluster is sized.\n    #   cpu: 100m\n");
  });

  it("writes the same values as a fresh render", () => {
    const { yaml } = mergeValues(EXISTING, settings, TEST_ROLE_ARNS);
    const merged = parse(yaml);
    const rendered = parse(renderValues(settings, TEST_ROLE_ARNS));
    expect(merged.config.database).toMatchObject(rendered.config.database);
    expect(merged.config.database.useAwsIamAuth).toBe("true");
    expect(merged.backend.serviceAccount).toStrictEqual(rendered.backend.serviceAccount);
    expect(merged.backend.migration.serviceAccount).toStrictEqual(rendered.backend.migration.serviceAccount);
    expect(merged.rasa.rasa.serviceAccount).toStrictEqual(rendered.rasa.rasa.serviceAccount);
    expect(merged.eventIngestion.serviceAccount).toStrictEqual({
      create: true,
      annotations: { team: "data", "eks.amazonaws.com/role-arn": TEST_ROLE_ARNS.rdsRoleArn },
      name: "studio-event-ingestion",
    });
  });

  it("replaces env entries with the same name, once, and keeps the others in place", () => {
    const env = parse(mergeValues(EXISTING, settings, TEST_ROLE_ARNS).yaml).rasa.rasa.overrideEnv;
    expect(env).toStrictEqual([
      { name: "RASA_PRO_LICENSE", valueFrom: { secretKeyRef: { name: "studio-secrets", key: "RASA_PRO_LICENSE_SECRET_KEY" } } },
      { name: "BUCKET_NAME", value: "studio-shared-storage-staging" },
      { name: "MAX_PARALLEL_TRAININGS", value: "5" },
      { name: "AWS_DEFAULT_REGION", value: "eu-west-1" },
      { name: "RASA_REMOTE_STORAGE", value: "aws" },
    ]);
  });

  it("turns an entry that read its value from a secret into the plain value", () => {
    const existing = `rasa:
  rasa:
    overrideEnv:
      - name: AWS_DEFAULT_REGION
        valueFrom:
          configMapKeyRef:
            name: aws
            key: region
`;
    const env = parse(mergeValues(existing, settings, TEST_ROLE_ARNS).yaml).rasa.rasa.overrideEnv;
    expect(env[0]).toStrictEqual({ name: "AWS_DEFAULT_REGION", value: "eu-west-1" });
    expect(env.filter((e: { name: string }) => e.name === "AWS_DEFAULT_REGION")).toHaveLength(1);
  });

  it("starts a missing env list from the chart's defaults, which Helm would otherwise drop", () => {
    const env = parse(mergeValues("rasa:\n  enabled: true\n", settings, TEST_ROLE_ARNS).yaml).rasa.rasa.overrideEnv;
    expect(env.map((e: { name: string }) => e.name)).toStrictEqual([
      "RASA_PRO_LICENSE",
      "OPENAI_API_KEY",
      "BUCKET_NAME",
      "AWS_DEFAULT_REGION",
      "RASA_REMOTE_STORAGE",
    ]);
  });

  it("is stable: merging its own result changes nothing", () => {
    const once = mergeValues(EXISTING, settings, TEST_ROLE_ARNS);
    const twice = mergeValues(once.yaml, settings, TEST_ROLE_ARNS);
    expect(twice.yaml).toBe(once.yaml);
    expect(twice.diff!.every((line) => line.kind === "same")).toBe(true);
    const fromRender = mergeValues(renderValues(settings, TEST_ROLE_ARNS), settings, TEST_ROLE_ARNS);
    expect(fromRender.yaml).toBe(renderValues(settings, TEST_ROLE_ARNS));
  });

  it("updates role ARNs and names when the settings change", () => {
    const once = mergeValues(EXISTING, settings, TEST_ROLE_ARNS).yaml;
    const newArns = { ...TEST_ROLE_ARNS, rdsRoleArn: "arn:aws:iam::123456789012:role/renamed-rds-role" };
    const { yaml, diff } = mergeValues(once, testSettings({ backendServiceAccount: "studio-api" }), newArns);
    const values = parse(yaml);
    expect(values.backend.serviceAccount.name).toBe("studio-api");
    expect(values.backend.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toBe(newArns.rdsRoleArn);
    expect(values.rasa.rasa.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toBe(TEST_ROLE_ARNS.s3RoleArn);
    // Three RDS annotations and one name: four lines out, four in.
    expect(diff!.filter((l) => l.kind === "removed")).toHaveLength(4);
    expect(diff!.filter((l) => l.kind === "added")).toHaveLength(4);
  });

  it("renders when the input is empty", () => {
    const { yaml, diff } = mergeValues("", settings, TEST_ROLE_ARNS);
    expect(yaml).toBe(renderValues(settings, TEST_ROLE_ARNS));
    expect(diff!.every((line) => line.kind === "added")).toBe(true);
    expect(diff!.map((line) => line.text).join("\n")).toBe(yaml.trimEnd());
    expect(mergeValues("  \n\n", settings, TEST_ROLE_ARNS).yaml).toBe(yaml);
  });

  it("keeps a file indented with four spaces in its own layout", () => {
    const existing = `backend:
    replicaCount: 1
rasa:
    rasa:
        overrideEnv:
            - name: MAX_PARALLEL_BOT_RUNS
              value: "20"
`;
    const { yaml, diff } = mergeValues(existing, settings, TEST_ROLE_ARNS);
    expect(diff!.filter((l) => l.kind === "removed")).toStrictEqual([]);
    expect(yaml.startsWith("backend:\n    replicaCount: 1\n    # Studio backend")).toBe(true);
    expect(yaml).toContain('            - name: MAX_PARALLEL_BOT_RUNS\n              value: "20"\n            - name: BUCKET_NAME\n');
    expect(parse(yaml).backend.serviceAccount.name).toBe("studio-backend");
  });

  it("still merges correctly when it cannot keep the layout (the file is then re-printed)", () => {
    // The yaml library cannot print a list at its key's column with four-space indentation.
    const existing = "rasa:\n    rasa:\n        overrideEnv:\n        - name: MAX_PARALLEL_BOT_RUNS\n          value: \"20\"\n";
    const { yaml } = mergeValues(existing, settings, TEST_ROLE_ARNS);
    expect(parse(yaml).rasa.rasa.overrideEnv.map((e: { name: string }) => e.name)).toStrictEqual([
      "MAX_PARALLEL_BOT_RUNS",
      "BUCKET_NAME",
      "AWS_DEFAULT_REGION",
      "RASA_REMOTE_STORAGE",
    ]);
    expect(mergeValues(yaml, settings, TEST_ROLE_ARNS).yaml).toBe(yaml);
  });

  it("ignores Windows line endings and a missing final newline", () => {
    const crlf = EXISTING.replace(/\n/g, "\r\n").trimEnd();
    expect(mergeValues(crlf, settings, TEST_ROLE_ARNS)).toStrictEqual(mergeValues(EXISTING, settings, TEST_ROLE_ARNS));
  });

  it("fills a key that is present but empty", () => {
    const { yaml } = mergeValues("backend:\n  serviceAccount:\nrasa:\n  rasa:\n    overrideEnv:\n", settings, TEST_ROLE_ARNS);
    const values = parse(yaml);
    expect(values.backend.serviceAccount.name).toBe("studio-backend");
    expect(values.rasa.rasa.overrideEnv.map((e: { name: string }) => e.name)).toContain("BUCKET_NAME");
  });

  it("rejects invalid YAML with its line and column", () => {
    const broken = "config:\n  database:\n    host: [unclosed\nbackend: {}\n";
    const error = catchError(() => mergeValues(broken, settings, TEST_ROLE_ARNS));
    expect(error).toBeInstanceOf(ValuesYamlError);
    expect(error).toMatchObject({ line: 4, column: 1 });
    expect(error.message).toMatch(/^values\.yaml is not valid YAML at line 4, column 1: /);

    const duplicate = catchError(() => mergeValues("a: 1\nb: 2\na: 3\n", settings, TEST_ROLE_ARNS));
    expect(duplicate).toMatchObject({ line: 3, column: 1 });
    expect(duplicate.message).toBe("values.yaml is not valid YAML at line 3, column 1: Map keys must be unique");

    const tab = catchError(() => mergeValues("config:\n\tdatabase: {}\n", settings, TEST_ROLE_ARNS));
    expect(tab).toMatchObject({ line: 2, column: 1 });

    // The parser lets an alias without an anchor before it through; printing would throw (an HTTP 500 before).
    const alias = catchError(() => mergeValues("a: 1\nbackend: *later\nb: &later 2\n", settings, TEST_ROLE_ARNS));
    expect(alias).toBeInstanceOf(ValuesYamlError);
    expect(alias.message).toBe("values.yaml is not valid YAML at line 2, column 10: the alias *later has no anchor &later before it");
  });

  it("rejects a file whose blocks have the wrong shape, naming the path and position", () => {
    const error = catchError(() => mergeValues("backend:\n  serviceAccount: default\n", settings, TEST_ROLE_ARNS));
    expect(error).toBeInstanceOf(ValuesYamlError);
    expect(error).toMatchObject({ line: 2, column: 19, path: "backend.serviceAccount" });
    expect(error.message).toBe(
      'values.yaml has the wrong shape at backend.serviceAccount at line 2, column 19: backend.serviceAccount must be a mapping, found the value "default"',
    );
    expect(catchError(() => mergeValues("- a\n- b\n", settings, TEST_ROLE_ARNS)).message).toMatch(/\(top level\) must be a mapping, found a list/);
    expect(catchError(() => mergeValues("rasa:\n  rasa:\n    overrideEnv: {}\n", settings, TEST_ROLE_ARNS))).toMatchObject({
      path: "rasa.rasa.overrideEnv",
      line: 3,
      column: 18,
    });
  });
});

function catchError(run: () => unknown): ValuesYamlError {
  try {
    run();
  } catch (error) {
    return error as ValuesYamlError;
  }
  throw new Error("expected an error");
}
