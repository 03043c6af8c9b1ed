// Every chart profile against a small values file written in its own layout (tests/fixtures/helm): render, merge,
// detection from the pasted file (or `helm get values` output), and each value that would silently defeat the
// upgrade, corrected in the merged file or refused with the reason.
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import type { EventIngestionMode } from "@/lib/config/environment";
import { TEST_ROLE_ARNS, testSettings } from "@/tests/support/settings";
import {
  detectChartProfile,
  helmCommands,
  mergeRollbackValues,
  mergeValues,
  profileForChartVersion,
  renderRollbackValues,
  renderValues,
  roleServiceAccounts,
  ValuesRefusedError,
} from "./index";

const fixture = (name: string) => fs.readFileSync(path.join(process.cwd(), "tests/fixtures/helm", `${name}.yaml`), "utf8");
const ENDPOINT = "studio-db.abc123.eu-west-1.rds.amazonaws.com";
const CONTEXT = { dbEndpoint: ENDPOINT, dbPort: 5432 };
const RDS_SA = (name: string) => ({ create: true, name, annotations: { "eks.amazonaws.com/role-arn": TEST_ROLE_ARNS.rdsRoleArn } });
const S3_SA = { create: true, name: "studio-model-service", annotations: { "eks.amazonaws.com/role-arn": TEST_ROLE_ARNS.s3RoleArn } };
const changed = (diff: { kind: string; text: string }[] | null) => diff!.filter((l) => l.kind !== "same").map((l) => `${l.kind === "added" ? "+" : "-"}${l.text}`);

const rc16 = (mode: EventIngestionMode, over: Record<string, unknown> = {}) =>
  testSettings({ chartProfile: "studio-3.0-rc.16", eventIngestionMode: mode, ...over });

const LAYOUTS = [
  { name: "studio-2.x", settings: testSettings({ chartProfile: "studio-2.x" }), backend: "backend", events: true },
  { name: "studio-3.0-rc.11", settings: testSettings({ chartProfile: "studio-3.0-rc.11" }), backend: "backend", events: true },
  { name: "studio-3.0-rc.16-colocated", settings: rc16("colocated"), backend: "app", events: false },
  { name: "studio-3.0-rc.16-separate", settings: rc16("separate"), backend: "app", events: true },
  { name: "studio-3.0-rc.16-disabled", settings: rc16("disabled"), backend: "app", events: false },
] as const;

describe.each(LAYOUTS)("chart layout $name", ({ name, settings, backend, events }) => {
  it("renders the service accounts at the paths this chart reads, and none it ignores", () => {
    const values = parse(renderValues(settings, TEST_ROLE_ARNS, CONTEXT));
    expect(values.config.database).toStrictEqual({
      useAwsIamAuth: "true",
      awsRegion: "eu-west-1",
      iamDbUsername: "studio_iam_user",
      host: ENDPOINT,
      port: "5432",
    });
    expect(values[backend].serviceAccount).toStrictEqual(RDS_SA("studio-backend"));
    expect(values[backend].migration.serviceAccount).toStrictEqual(RDS_SA("studio-database-migration"));
    expect(values.rasa.rasa.serviceAccount).toStrictEqual(S3_SA);
    expect(Object.keys(values).sort()).toEqual([backend, "config", ...(events ? ["eventIngestion"] : []), "rasa"].sort());
    if (events) expect(values.eventIngestion.serviceAccount).toStrictEqual(RDS_SA("studio-event-ingestion"));
  });

  it("merges into a values file in its own layout: only the console's keys change, and merging again changes nothing", () => {
    const existing = fixture(name);
    const { yaml, diff, corrections } = mergeValues(existing, settings, TEST_ROLE_ARNS, CONTEXT);
    expect(corrections).toEqual([]);
    const before = parse(existing);
    const after = parse(yaml);
    expect(after[backend].serviceAccount).toStrictEqual(RDS_SA("studio-backend"));
    expect(after[backend].migration.serviceAccount).toStrictEqual(RDS_SA("studio-database-migration"));
    expect(after.rasa.rasa.serviceAccount).toStrictEqual(S3_SA);
    expect(after.config.database).toMatchObject({ ...before.config.database, useAwsIamAuth: "true", iamDbUsername: "studio_iam_user" });
    expect(after.rasa.rasa.overrideEnv.map((e: { name: string }) => e.name)).toEqual(
      expect.arrayContaining(["BUCKET_NAME", "AWS_DEFAULT_REGION", "RASA_REMOTE_STORAGE"]),
    );
    if (events) expect(after.eventIngestion.serviceAccount).toStrictEqual(RDS_SA("studio-event-ingestion"));
    else expect(after.eventIngestion?.serviceAccount).toBeUndefined();
    // Lines the console did not touch are kept byte for byte (comments included).
    expect(diff!.filter((l) => l.kind === "removed").every((l) => /create: false|annotations: \{\}|name: ""|useAwsIamAuth: ""/.test(l.text))).toBe(true);
    expect(yaml.split("\n")[0]).toBe(existing.split("\n")[0]);
    const again = mergeValues(yaml, settings, TEST_ROLE_ARNS, CONTEXT);
    expect(again.yaml).toBe(yaml);
    expect(changed(again.diff)).toEqual([]);
  });

  it("is detected from the pasted file and from helm get values output", () => {
    const expected = backend === "app" ? "studio-3.0-rc.16" : "studio-2.x";
    const detected = detectChartProfile(fixture(name));
    expect(detected.profile).toBe(expected);
    expect(detected.conflict).toBeNull();
    expect(detected.evidence.length).toBeGreaterThan(0);
    if (backend === "app") expect(detected.eventIngestionMode).toBe(settings.eventIngestionMode);
    const helmGetValues = `USER-SUPPLIED VALUES:\n${fixture(name)}`;
    expect(detectChartProfile(helmGetValues)).toStrictEqual(detected);
    // The heading is not a values key: the merge drops it rather than writing it back.
    expect(mergeValues(helmGetValues, settings, TEST_ROLE_ARNS, CONTEXT).yaml).toBe(mergeValues(fixture(name), settings, TEST_ROLE_ARNS, CONTEXT).yaml);
  });
});

describe("profiles", () => {
  it("name the service accounts each chart runs with a role, for the trust policies", () => {
    const names = (s: ReturnType<typeof testSettings>) => roleServiceAccounts(s, "rds");
    expect(names(testSettings())).toEqual(["studio-backend", "studio-event-ingestion", "studio-database-migration"]);
    expect(names(rc16("colocated"))).toEqual(["studio-backend", "studio-database-migration"]);
    expect(names(rc16("separate"))).toEqual(["studio-backend", "studio-event-ingestion", "studio-database-migration"]);
    expect(names(rc16("disabled"))).toEqual(["studio-backend", "studio-database-migration"]);
    expect(roleServiceAccounts(rc16("colocated"), "s3")).toEqual(["studio-model-service"]);
  });

  it("say which chart versions they cover", () => {
    expect(profileForChartVersion("2.6.0").profile).toBe("studio-2.x");
    expect(profileForChartVersion("studio-2.1.3").reason).toMatch(/migration job ignores backend\.migration\.serviceAccount/);
    expect(profileForChartVersion("3.0.0-rc.12").profile).toBe("studio-3.0-rc.11");
    expect(profileForChartVersion("studio-3.0.0-rc.16").profile).toBe("studio-3.0-rc.16");
    expect(profileForChartVersion("3.0.0-rc.14")).toMatchObject({ profile: null, reason: expect.stringMatching(/not covered by a profile/) });
    expect(profileForChartVersion("3.0.0").profile).toBeNull();
    expect(profileForChartVersion("latest").reason).toMatch(/not a chart version/);
  });

  it("read stored settings that still say studio-3.x as the rc.11 profile (what it meant)", () => {
    expect(testSettings({ chartProfile: "studio-3.x" }).chartProfile).toBe("studio-3.0-rc.11");
  });

  it("give the commands the chart's own deployment and service accounts", () => {
    const commands = helmCommands(rc16("colocated", { releaseName: "studio" }));
    expect(commands.map((c) => c.command)).toContain("kubectl exec -n rasa deploy/studio-app -- aws sts get-caller-identity");
    expect(commands.filter((c) => c.command.startsWith("kubectl get sa ")).map((c) => c.command)).toEqual([
      "kubectl get sa studio-backend -n rasa -o yaml",
      "kubectl get sa studio-database-migration -n rasa -o yaml",
      "kubectl get sa studio-model-service -n rasa -o yaml",
    ]);
  });

  it("detect a file with keys of both layouts as a conflict, not a guess", () => {
    const mixed = detectChartProfile("backend:\n  replicaCount: 1\napp:\n  replicaCount: 1\n");
    expect(mixed).toMatchObject({ profile: null, conflict: expect.stringMatching(/keys of both layouts/) });
    expect(detectChartProfile("eventIngestion:\n  mode: sidecar\n").conflict).toMatch(/eventIngestion.mode is "sidecar"/);
    expect(detectChartProfile("networkPolicy:\n  enabled: true\n").profile).toBeNull();
  });
});

describe("values that would silently defeat the upgrade", () => {
  const refused = (run: () => unknown): ValuesRefusedError => {
    try {
      run();
    } catch (error) {
      if (error instanceof ValuesRefusedError) return error;
      throw error;
    }
    throw new Error("expected a refusal");
  };

  it("a database host that is not the RDS endpoint (a CNAME) is corrected, with the reason", () => {
    const existing = fixture("studio-3.0-rc.16-colocated").replace(`host: "${ENDPOINT}"`, 'host: "db.studio.internal"');
    const { yaml, diff, corrections } = mergeValues(existing, rc16("colocated"), TEST_ROLE_ARNS, CONTEXT);
    expect(parse(yaml).config.database.host).toBe(ENDPOINT);
    expect(corrections).toEqual([
      {
        path: "config.database.host",
        was: "db.studio.internal",
        now: ENDPOINT,
        reason: expect.stringMatching(/RDS accepts a token only for its own endpoint/),
      },
    ]);
    expect(changed(diff)).toContain('-    host: "db.studio.internal"');
    expect(changed(diff)).toContain(`+    host: "${ENDPOINT}"`);
  });

  it("TLS to the database turned off in the chart's database settings is corrected", () => {
    const existing = fixture("studio-2.x")
      .replace('preferSSL: "true"', 'preferSSL: "false"')
      .replace('useAwsIamAuth: ""', 'useAwsIamAuth: ""\n    queryParams: "sslmode=disable&connect_timeout=30"');
    const { yaml, corrections } = mergeValues(existing, testSettings(), TEST_ROLE_ARNS, CONTEXT);
    const db = parse(yaml).config.database;
    expect(db.preferSSL).toBe("true");
    expect(db.queryParams).toBe("connect_timeout=30");
    expect(corrections.map((c) => [c.path, c.was, c.now])).toEqual([
      ["config.database.preferSSL", "false", "true"],
      ["config.database.queryParams", "sslmode=disable&connect_timeout=30", "connect_timeout=30"],
    ]);
  });

  it("static AWS keys in an env list (or a 2.x env map) are removed, and their values never repeated", () => {
    const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const rc16File = fixture("studio-3.0-rc.16-separate")
      .replace(
        "  env:\n    - name: DELETE",
        `  env:\n    - name: AWS_ACCESS_KEY_ID\n      value: AKIAIOSFODNN7EXAMPLE\n    - name: AWS_SECRET_ACCESS_KEY\n      value: ${secret}\n    - name: DELETE`,
      )
      .replace("      - name: OPENAI_API_KEY", `      - name: AWS_SECRET_ACCESS_KEY\n        value: ${secret}\n      - name: OPENAI_API_KEY`);
    const merged = mergeValues(rc16File, rc16("separate"), TEST_ROLE_ARNS, CONTEXT);
    const values = parse(merged.yaml);
    expect(values.app.env.map((e: { name: string }) => e.name)).toEqual(["DELETE_CONVERSATIONS_CRON_EXPRESSION"]);
    expect(values.rasa.rasa.overrideEnv.map((e: { name: string }) => e.name)).not.toContain("AWS_SECRET_ACCESS_KEY");
    expect(merged.corrections.map((c) => c.path)).toEqual([
      "app.env[0] (AWS_ACCESS_KEY_ID)",
      "app.env[1] (AWS_SECRET_ACCESS_KEY)",
      "rasa.rasa.overrideEnv[1] (AWS_SECRET_ACCESS_KEY)",
    ]);
    expect(JSON.stringify(merged.corrections)).not.toContain(secret);
    expect(merged.corrections[0].reason).toMatch(/come first in the SDK's credential chain/);

    const twoX = fixture("studio-2.x").replace("    LOG_LEVEL:\n      value: info", `    LOG_LEVEL:\n      value: info\n    AWS_ACCESS_KEY_ID:\n      value: AKIAIOSFODNN7EXAMPLE`);
    const mergedTwoX = mergeValues(twoX, testSettings(), TEST_ROLE_ARNS, CONTEXT);
    expect(parse(mergedTwoX.yaml).backend.environmentVariables).toStrictEqual({ LOG_LEVEL: { value: "info" } });
    expect(mergedTwoX.corrections.map((c) => c.path)).toEqual(["backend.environmentVariables.AWS_ACCESS_KEY_ID"]);
  });

  it("a service-account block at a path the chosen chart ignores is refused, naming the path it reads", () => {
    const colocated = `${fixture("studio-3.0-rc.16-colocated")}\n`.replace(
      "  mode: colocated\n",
      "  mode: colocated\n  serviceAccount:\n    create: true\n    name: studio-event-ingestion\n",
    );
    const error = refused(() => mergeValues(colocated, rc16("colocated"), TEST_ROLE_ARNS, CONTEXT));
    expect(error.reasons).toEqual([
      {
        path: "eventIngestion.serviceAccount",
        reason: expect.stringMatching(/never reads it \(it reads app\.serviceAccount \(colocated event ingestion runs in the app pod\)\)/),
      },
    ]);
    const subchart = fixture("studio-2.x").replace("rasa:\n  enabled: true\n", "rasa:\n  enabled: true\n  serviceAccount:\n    name: models\n");
    expect(refused(() => mergeValues(subchart, testSettings(), TEST_ROLE_ARNS)).reasons[0]).toMatchObject({
      path: "rasa.serviceAccount",
      reason: expect.stringMatching(/it reads rasa\.rasa\.serviceAccount/),
    });
    // The chart's own empty defaults at such a path are harmless and pass.
    const defaults = fixture("studio-3.0-rc.16-disabled").replace("  mode: disabled\n", '  mode: disabled\n  serviceAccount:\n    create: false\n    annotations: {}\n    name: ""\n');
    expect(() => mergeValues(defaults, rc16("disabled"), TEST_ROLE_ARNS, CONTEXT)).not.toThrow();
  });

  it("a file for the other layout, another event ingestion mode or another database is refused", () => {
    const layout = refused(() => mergeValues(fixture("studio-2.x"), rc16("colocated"), TEST_ROLE_ARNS, CONTEXT));
    expect(layout.reasons[0].reason).toMatch(/the file is written for the 2\.x layout .* but the environment's chart profile is Studio chart 3\.0\.0-rc\.16/);
    expect(layout.reasons[0].reason).toMatch(/Choose the profile of the chart you run \(studio-2\.x\)/);
    const backwards = refused(() => mergeValues(fixture("studio-3.0-rc.16-colocated"), testSettings(), TEST_ROLE_ARNS, CONTEXT));
    expect(backwards.reasons[0].reason).toMatch(/written for the app layout/);

    const mode = refused(() => mergeValues(fixture("studio-3.0-rc.16-separate"), rc16("colocated"), TEST_ROLE_ARNS, CONTEXT));
    expect(mode.reasons).toEqual([{ path: "eventIngestion.mode", reason: expect.stringMatching(/runs event ingestion separate, the environment says colocated/) }]);

    const database = refused(() => mergeValues(fixture("studio-3.0-rc.16-colocated"), rc16("colocated", { databaseName: "studio_prod" }), TEST_ROLE_ARNS, CONTEXT));
    expect(database.reasons).toEqual([
      { path: "config.database.databaseName", reason: expect.stringMatching(/Studio uses database "studio" .* but the grants are for studio_prod/) },
    ]);
    expect(database.message).toMatch(/^values\.yaml cannot be merged as it is: config\.database\.databaseName: /);
    // A fragment that names no database (one of several -f files) is not refused for it.
    expect(() => mergeValues("rasa:\n  enabled: true\n", rc16("colocated", { databaseName: "studio_prod" }), TEST_ROLE_ARNS, CONTEXT)).not.toThrow();
  });
});

describe("rollback values", () => {
  it("take the database connection back to the password user, in the file in use", () => {
    const settings = rc16("colocated", { originalDbOwner: "studio" });
    const merged = mergeValues(fixture("studio-3.0-rc.16-colocated"), settings, TEST_ROLE_ARNS, CONTEXT).yaml;
    const { yaml, diff } = mergeRollbackValues(merged, settings);
    const db = parse(yaml).config.database;
    expect(db).toMatchObject({ useAwsIamAuth: "false", iamDbUsername: "", username: "studio", host: ENDPOINT, databaseName: "studio" });
    expect(changed(diff)).toEqual(['-    useAwsIamAuth: "true"', '+    useAwsIamAuth: "false"', "-    iamDbUsername: studio_iam_user", '+    iamDbUsername: ""']);
    // The roles stay on the service accounts: S3 keeps working, and the annotation is harmless for the database.
    expect(parse(yaml).app.serviceAccount).toStrictEqual(parse(merged).app.serviceAccount);
    expect(parse(renderRollbackValues(settings)).config.database).toStrictEqual({ useAwsIamAuth: "false", iamDbUsername: "", username: "studio" });
  });
});

describe("a values file without a database block", () => {
  it("gets the endpoint written with the console's block and its comment, not listed as a correction", () => {
    const { yaml, corrections } = mergeValues("rasa:\n  enabled: true\n", testSettings(), TEST_ROLE_ARNS, CONTEXT);
    expect(corrections).toEqual([]);
    expect(parse(yaml).config.database).toMatchObject({ host: ENDPOINT, port: "5432", useAwsIamAuth: "true" });
    expect(yaml).toContain("  # IAM database authentication: the backend, event ingestion and DB migration job connect as studio_iam_user\n");
  });
});
