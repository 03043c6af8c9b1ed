import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { toPolicyJson } from "@/lib/policies/policy-json";
import { FakeAws, fakeAwsPerTest } from "@/tests/support/fake-aws";
import { applySteps } from "@/tests/support/step-context";
import { testSettings } from "@/tests/support/settings";
import { renderCliScript } from "./cli-script";
import { discoverEnvironment } from "./discover-environment";
import { AWS_STEP_KEYS, stepByKey } from "./index";
import { buildPlan, planSummary } from "./plan";
import type { Observed } from "./types";

const aws = fakeAwsPerTest();
const env = testSettings();

function bashSyntaxOk(script: string): boolean {
  execFileSync("bash", ["-n"], { input: script });
  return true;
}

describe("buildPlan", () => {
  it("fresh account: every resource created, in catalogue order, db-grants planned by its own step; no AWS call", async () => {
    const observed = await discoverEnvironment(env);
    aws.fake.clearLog();
    const plan = buildPlan(env, observed);
    expect(aws.fake.calls()).toEqual([]);
    expect(plan.steps.map((s) => s.key)).toEqual([
      "identity",
      "discover",
      "oidc-provider",
      "rds-role",
      "s3-role",
      "s3-bucket",
      "rds-iam-auth",
      "db-grants",
    ]);
    const awsOnly = { ...plan, steps: plan.steps.filter((s) => s.key !== "db-grants") };
    // OIDC provider 1, two roles (role, policy, tags) 6, bucket 6; the RDS flag is an update.
    expect(planSummary(awsOnly)).toEqual({ create: 13, update: 1, unchanged: 0 });
    expect(plan.steps.find((s) => s.key === "db-grants")!.changes.every((c) => c.call === "sql")).toBe(true);
    expect(plan.warnings).toEqual([]);
    // Documents are the stable pretty JSON the apply sends.
    for (const c of plan.steps.flatMap((s) => s.changes))
      if (c.language === "json" && c.document) expect(toPolicyJson(JSON.parse(c.document))).toBe(c.document);
  });

  it("is pure: the same input gives the same plan", async () => {
    const observed = await discoverEnvironment(env);
    const copy = JSON.parse(JSON.stringify(observed)) as Observed;
    expect(buildPlan(env, observed)).toEqual(buildPlan(env, copy));
    expect(observed).toEqual(copy);
  });

  it("warns about a broad trust scope, pending RDS modifications, a foreign bucket and REASSIGN", async () => {
    aws.fake.db!.pending = { EngineVersion: "16.4" };
    aws.fake.buckets.set(env.bucketName, { owner: "999988887777", region: "eu-west-1" });
    const risky = testSettings({ trustScope: "namespace", reassignOwned: true, originalDbOwner: "studio" });
    const plan = buildPlan(risky, await discoverEnvironment(risky));
    const text = plan.warnings.join("\n");
    expect(text).toMatch(/trust scope "namespace": any service account in namespace rasa can assume the role/);
    expect(text).toMatch(/pending modifications \(EngineVersion\)/);
    expect(text).toMatch(/bucket studio-shared-storage-staging belongs to another account/);
    expect(text).toMatch(/REASSIGN OWNED BY studio TO studio_iam_user/);
    expect(new Set(plan.warnings).size).toBe(plan.warnings.length);
  });

  it("after a whole apply, every AWS row is unchanged", async () => {
    aws.fake.db!.pollsUntilApplied = 1;
    await applySteps(env, AWS_STEP_KEYS.map(stepByKey));
    const plan = buildPlan(env, await discoverEnvironment(env));
    const rows = plan.steps.filter((s) => s.key !== "db-grants").flatMap((s) => s.changes);
    expect(new Set(rows.map((r) => r.action))).toEqual(new Set(["read", "unchanged"]));
  });
});

describe("renderCliScript", () => {
  it("fresh account: the commands of the plan, valid bash, policies written to files", async () => {
    const script = renderCliScript(env, await discoverEnvironment(env));
    expect(bashSyntaxOk(script)).toBe(true);
    expect(script).toContain("set -euo pipefail");
    expect(script).toContain(
      "aws iam create-open-id-connect-provider --url 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE' --client-id-list sts.amazonaws.com",
    );
    expect(script).not.toContain("thumbprint");
    expect(script).toMatch(/aws iam create-role --role-name 'studio-staging-rds-role' --assume-role-policy-document "file:\/\/\$work\/01-studio-staging-rds-role-trust\.json"/);
    expect(script).toContain("aws s3api create-bucket --bucket 'studio-shared-storage-staging' --create-bucket-configuration LocationConstraint=eu-west-1");
    expect(script).toContain("aws rds modify-db-instance --db-instance-identifier 'studio-db' --enable-iam-database-authentication --apply-immediately");
    expect(script).toContain("aws rds wait db-instance-available --db-instance-identifier 'studio-db'");
    expect(script).toContain('"system:serviceaccount:rasa:studio-backend"');
  });

  it("us-east-1: create-bucket without a location constraint", async () => {
    const east = testSettings({ region: "us-east-1" });
    aws.replace(new FakeAws({ region: "us-east-1" }));
    const script = renderCliScript(east, await discoverEnvironment(east));
    expect(script).toMatch(/^aws s3api create-bucket --bucket 'studio-shared-storage-staging'$/m);
  });

  it("after the apply: no AWS command that changes anything, only comments", async () => {
    aws.fake.db!.pollsUntilApplied = 1;
    await applySteps(env, AWS_STEP_KEYS.map(stepByKey));
    const script = renderCliScript(env, await discoverEnvironment(env));
    expect(bashSyntaxOk(script)).toBe(true);
    const commands = script.split("\n").filter((l) => l.startsWith("aws "));
    expect(commands.every((l) => /^aws (sts get-caller-identity|eks describe-cluster|rds describe-db-instances)/.test(l))).toBe(true);
    expect(script).toContain("# unchanged: IAM OIDC provider");
  });

  it("a foreign bucket stops the script before touching it", async () => {
    aws.fake.buckets.set(env.bucketName, { owner: "999988887777", region: "eu-west-1" });
    const script = renderCliScript(env, await discoverEnvironment(env));
    expect(bashSyntaxOk(script)).toBe(true);
    expect(script).toMatch(/echo 'bucket studio-shared-storage-staging belongs to another account: choose another name' >&2\nexit 1/);
    expect(script).not.toContain("s3api create-bucket");
  });

  it("quotes values so a name cannot break out of the command", async () => {
    const { shellQuote } = await import("./cli-script");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});
