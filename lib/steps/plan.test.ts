import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { toPolicyJson } from "@/lib/policies/policy-json";
import { FakeAws, fakeAwsPerTest } from "@/tests/support/fake-aws";
import { engine, observe } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";
import { commentLine, renderCliScript, shellQuote } from "./cli-script";
import { identityFacts } from "./facts";
import { buildPlan, factsDifference, factsFingerprint, planSummary } from "./plan";
import type { Facts } from "./types";

const aws = fakeAwsPerTest();
const env = testSettings();

function bashSyntaxOk(script: string): boolean {
  execFileSync("bash", ["-n"], { input: script });
  return true;
}

async function appliedAccount() {
  aws.fake.db!.pollsUntilApplied = 1;
  const e = await engine(env);
  const { view } = await e.apply();
  await e.close();
  // Everything but the grants, which need the DB admin's password.
  expect(view.steps.filter((s) => s.status !== "succeeded" && s.status !== "skipped").map((s) => s.key)).toEqual(["db-grants"]);
}

describe("buildPlan", () => {
  it("fresh account: every resource created, in catalogue order; SQL checked when applied; no AWS call", async () => {
    const facts = await observe(env);
    aws.fake.clearLog();
    const plan = buildPlan(env, facts);
    expect(aws.fake.calls()).toEqual([]);
    expect(plan.steps.map((s) => s.key)).toEqual(["identity", "discover", "oidc-provider", "rds-role", "s3-role", "s3-bucket", "s3-bucket-policy", "pod-identity", "rds-iam-auth", "db-grants", "eks-access"]);
    const awsOnly = { steps: plan.steps.filter((s) => s.key !== "db-grants") };
    // OIDC provider 1, two roles (role + policy) 4, bucket 7 (with its lifecycle rules); the RDS flag is an update.
    expect(planSummary(awsOnly)).toMatchObject({ create: 12, update: 1, unchanged: 0 });
    const sql = plan.steps.find((s) => s.key === "db-grants")!.changes;
    expect(sql.every((c) => c.call === "sql" && c.action === "deferred")).toBe(true);
    // The temporary membership granted and revoked around the grants counts with what it serves.
    expect(planSummary(plan).deferred).toBe(sql.filter((c) => !c.serves).length);
    // The only warning: without originalDbOwner the IAM user gets table privileges, not ownership rights.
    expect(plan.warnings).toEqual([expect.stringMatching(/^without the original database user \(originalDbOwner\)/)]);
    // Change ids are unique across the plan: a resumed run matches changes by id.
    const ids = plan.steps.flatMap((s) => s.changes.map((c) => c.id));
    expect(new Set(ids).size).toBe(ids.length);
    // Documents are the stable pretty JSON the apply sends.
    for (const c of plan.steps.flatMap((s) => s.changes))
      if (c.language === "json" && c.document) expect(toPolicyJson(JSON.parse(c.document))).toBe(c.document);
  });

  it("is pure: the same facts give the same plan, and the facts are not touched", async () => {
    const facts = await observe(env);
    const copy = JSON.parse(JSON.stringify(facts)) as Facts;
    const strip = (p: ReturnType<typeof buildPlan>) => JSON.parse(JSON.stringify(p));
    expect(strip(buildPlan(env, facts))).toEqual(strip(buildPlan(env, copy)));
    expect(facts).toEqual(copy);
  });

  it("warns about a broad trust scope, pending RDS modifications, a foreign bucket and REASSIGN", async () => {
    aws.fake.db!.pending = { EngineVersion: "16.4" };
    aws.fake.buckets.set(env.bucketName, { owner: "999988887777", region: "eu-west-1" });
    const risky = testSettings({ trustScope: "namespace", reassignOwned: true, originalDbOwner: "studio" });
    const plan = buildPlan(risky, await observe(risky));
    const text = plan.warnings.join("\n");
    expect(text).toMatch(/trust scope "namespace": any service account in namespace rasa can assume the role/);
    expect(text).toMatch(/pending modifications \(EngineVersion\)/);
    expect(text).toMatch(/bucket studio-shared-storage-staging belongs to another account/);
    expect(text).toMatch(/maintenance window: REASSIGN OWNED BY studio TO studio_iam_user/);
    expect(new Set(plan.warnings).size).toBe(plan.warnings.length);
  });

  it("an identifier refused by the grants blocks the plan instead of failing it", async () => {
    const bad = { ...env, iamDbUser: 'x"; DROP ROLE y; --' };
    const plan = buildPlan(bad, await observe(env));
    expect(plan.steps.find((s) => s.key === "db-grants")!.blockers.join()).toMatch(/iamDbUser must start with a letter/);
    expect(plan.steps.find((s) => s.key === "rds-role")!.changes.length).toBeGreaterThan(0);
  });

  it("after a whole apply, every AWS change is unchanged", async () => {
    await appliedAccount();
    const plan = buildPlan(env, await observe(env));
    const rows = plan.steps.filter((s) => s.key !== "db-grants").flatMap((s) => s.changes);
    expect(new Set(rows.map((r) => r.action))).toEqual(new Set(["unchanged"]));
  });
});

describe("fingerprint and difference of two observations", () => {
  it("the same account observed twice has one fingerprint; an edited role another, and the difference names it", async () => {
    await appliedAccount();
    const before = await observe(env);
    expect(factsFingerprint(await observe(env))).toBe(factsFingerprint(before));
    const role = aws.fake.roles.get("studio-staging-rds-role")!;
    role.tags.owner = "someone";
    const after = await observe(env);
    expect(factsFingerprint(after)).not.toBe(factsFingerprint(before));
    expect(factsDifference(before, after)).toEqual(['rds-role › tags › owner: (absent) → "someone"']);
  });

  it("the grants' facts (read with DB credentials) are not part of the fingerprint", async () => {
    const facts = await observe(env);
    expect(factsFingerprint({ ...facts, "db-grants": { observed: true, checks: [] } })).toBe(factsFingerprint(facts));
  });
});

describe("renderCliScript", () => {
  it("fresh account: the plan's changes, in the plan's order, as valid bash with documents in files", async () => {
    const facts = await observe(env);
    const plan = buildPlan(env, facts);
    const { text: script, sections } = renderCliScript(env, identityFacts(facts), plan);
    // The same changes as the plan, in the same order (compared as data, not by parsing the text).
    expect(sections).toEqual(plan.steps.flatMap((s) => s.changes.map((c) => ({ id: c.id, action: c.action }))));
    expect(bashSyntaxOk(script)).toBe(true);
    expect(script).toContain("set -euo pipefail");
    expect(script).toContain(
      "aws iam create-open-id-connect-provider --url https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE --client-id-list sts.amazonaws.com",
    );
    expect(script).not.toContain("thumbprint");
    expect(script).toMatch(/aws iam create-role --role-name studio-staging-rds-role --description .* --assume-role-policy-document "file:\/\/\$work\/01-studio-staging-rds-role-trust\.json"/);
    expect(script).toContain("aws s3api create-bucket --bucket studio-shared-storage-staging --create-bucket-configuration LocationConstraint=eu-west-1");
    expect(script).toContain("aws rds modify-db-instance --db-instance-identifier studio-db --enable-iam-database-authentication --apply-immediately");
    expect(script).toContain("aws rds wait db-instance-available --db-instance-identifier studio-db");
    expect(script).toContain('"system:serviceaccount:rasa:studio-backend"');
  });

  it("us-east-1: create-bucket without a location constraint", async () => {
    const east = testSettings({ region: "us-east-1" });
    aws.replace(new FakeAws({ region: "us-east-1" }));
    const facts = await observe(east);
    const { text } = renderCliScript(east, identityFacts(facts), buildPlan(east, facts));
    expect(text).toMatch(/^aws s3api create-bucket --bucket studio-shared-storage-staging$/m);
  });

  it("after the apply: no AWS command that changes anything, only comments", async () => {
    await appliedAccount();
    const facts = await observe(env);
    const { text } = renderCliScript(env, identityFacts(facts), buildPlan(env, facts));
    expect(bashSyntaxOk(text)).toBe(true);
    const commands = text.split("\n").filter((l) => l.startsWith("aws "));
    expect(commands.every((l) => /^aws (eks describe-cluster|rds describe-db-instances)/.test(l))).toBe(true);
    expect(text).toContain("# unchanged: IAM OIDC provider");
  });

  it("a foreign bucket stops the script before touching it", async () => {
    aws.fake.buckets.set(env.bucketName, { owner: "999988887777", region: "eu-west-1" });
    const facts = await observe(env);
    const { text } = renderCliScript(env, identityFacts(facts), buildPlan(env, facts));
    expect(bashSyntaxOk(text)).toBe(true);
    expect(text).toMatch(/echo 'S3 bucket studio-shared-storage-staging belongs to another account: no role is created for it\. Choose another bucket name\.' >&2\nexit 1/);
    expect(text).not.toContain("s3api create-bucket");
  });

  it("text read from AWS cannot break out of a comment, and a document cannot end its own heredoc", async () => {
    expect(commentLine("bucket x\nrm -rf / #\r\u2028more")).toBe("# bucket x rm -rf / # more");
    const facts = await observe(env);
    // A trust document with a line that equals the default heredoc tag.
    const plan = buildPlan(env, facts);
    const change = plan.steps.find((s) => s.key === "rds-role")!.changes[0];
    const evil = { ...change, cli: (w: Parameters<NonNullable<typeof change.cli>>[0]) => w.command("cat", { file: "x\nJSON\ny", name: "evil" }) };
    plan.steps.find((s) => s.key === "rds-role")!.changes[0] = evil;
    const { text } = renderCliScript(env, identityFacts(facts), plan);
    expect(text).toContain(`cat > "$work/01-evil.json" <<'JSON_1'\nx\nJSON\ny\nJSON_1`);
    expect(bashSyntaxOk(text)).toBe(true);
  });

  it("quotes values so a name cannot break out of the command", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});
