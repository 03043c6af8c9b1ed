// Teardown through the real steps and the job service against the fake account: only what the console created
// for this environment goes (roles with their policies, pod identity associations, an empty bucket, the OIDC
// provider nobody else trusts); everything else is kept and said so; a second teardown plans nothing and makes
// no mutating call; a bucket with models goes only when its name was typed; a teardown the admin did not review
// is refused.
import { describe, expect, it } from "vitest";
import { fakeAwsPerTest } from "@/tests/support/fake-aws";
import { engine } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";
import { planChanges } from "@/lib/steps/plan";
import { isMutation } from "@/lib/steps/change";

const aws = fakeAwsPerTest();
const staging = testSettings();
const trial = testSettings({ name: "trial", rdsRoleName: "studio-trial-rds-role", s3RoleName: "studio-trial-s3-role", bucketName: "studio-trial-models" });
const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] };

async function applied(settings = staging) {
  aws.fake.db!.pollsUntilApplied = 1;
  const e = await engine(settings);
  const { view } = await e.apply();
  expect(view.steps.filter((s) => s.key !== "db-grants" && s.status !== "skipped").map((s) => [s.key, s.status])).toEqual(
    view.steps.filter((s) => s.key !== "db-grants" && s.status !== "skipped").map((s) => [s.key, "succeeded"]),
  );
  return e;
}

const deletes = (plan: Awaited<ReturnType<Awaited<ReturnType<typeof engine>>["planTeardown"]>>) =>
  planChanges(plan).filter(isMutation).map((c) => [c.call, c.resource]);
const keptRows = (plan: Awaited<ReturnType<Awaited<ReturnType<typeof engine>>["planTeardown"]>>) =>
  planChanges(plan).filter((c) => c.action === "unchanged").map((c) => [c.resource, c.reason]);

describe("teardown", () => {
  it("removes exactly this environment's tagged resources, keeps the rest, and a second teardown changes nothing", async () => {
    const e = await applied();
    // Someone else's role and bucket in the account, untagged.
    aws.fake.addRole("ci-runner", trust, { inline: trust });
    aws.fake.buckets.set("team-data", { owner: aws.fake.account, region: "eu-west-1", tags: {} });

    const plan = await e.planTeardown();
    expect(deletes(plan)).toEqual([
      ["iam:DeleteRolePolicy", "inline policy studio-rds-db-connect of IAM role studio-staging-rds-role"],
      ["iam:DeleteRole", "IAM role studio-staging-rds-role"],
      ["iam:DeleteRolePolicy", "inline policy studio-s3-model-storage of IAM role studio-staging-s3-role"],
      ["iam:DeleteRole", "IAM role studio-staging-s3-role"],
      ["iam:DeleteOpenIDConnectProvider", expect.stringMatching(/^IAM OIDC provider oidc\.eks\.eu-west-1\.amazonaws\.com\/id\//)],
      ["s3:DeleteBucket", "S3 bucket studio-shared-storage-staging"],
      // Only when the admin types the database identifier (not here): every IAM user of it would lose its login.
      ["rds:ModifyDBInstance", "IAM database authentication of RDS DB instance studio-db"],
    ]);
    expect(keptRows(plan).map(([r]) => r)).toEqual(["database user studio_iam_user of database studio"]);
    // Every delete is visible with its document, and prints itself for the CLI script.
    for (const c of planChanges(plan).filter(isMutation)) {
      expect(c.document, c.id).toBeTruthy();
      expect(c.cli, c.id).toBeTypeOf("function");
    }

    aws.fake.clearLog();
    const { view } = await e.teardown();
    expect(view.kind).toBe("teardown");
    expect(view.status).toBe("succeeded");
    expect(aws.fake.mutatingCalls().map((c) => [c.command, c.input.RoleName ?? c.input.Bucket ?? c.input.OpenIDConnectProviderArn?.split("/")[0]])).toEqual(
      expect.arrayContaining([
        ["DeleteRolePolicy", "studio-staging-rds-role"],
        ["DeleteRole", "studio-staging-rds-role"],
        ["DeleteRolePolicy", "studio-staging-s3-role"],
        ["DeleteRole", "studio-staging-s3-role"],
        ["DeleteBucket", "studio-shared-storage-staging"],
      ]),
    );
    expect(aws.fake.mutatingCalls()).toHaveLength(6);
    expect([...aws.fake.roles.keys()]).toEqual(["ci-runner"]);
    expect(aws.fake.roles.get("ci-runner")!.policies.has("inline")).toBe(true);
    expect([...aws.fake.buckets.keys()].sort()).toEqual(["someone-elses-bucket", "team-data"]);
    expect(aws.fake.providers.size).toBe(0);

    // Converged: the second teardown plans no delete but the one still waiting for its name, and calls nothing
    // that changes anything.
    expect(deletes(await e.planTeardown())).toEqual([["rds:ModifyDBInstance", "IAM database authentication of RDS DB instance studio-db"]]);
    aws.fake.clearLog();
    const again = await e.teardown();
    expect(again.view.status).toBe("succeeded");
    expect(aws.fake.mutatingCalls()).toEqual([]);
    await e.close();
  });

  it("keeps another environment's roles and bucket, and the OIDC provider their roles still trust", async () => {
    const other = await applied(trial);
    const e = await applied(staging);
    // The provider was created by the first apply, for trial; staging's roles trust it too.
    const plan = await e.planTeardown();
    expect(keptRows(plan)).toContainEqual([expect.stringMatching(/^IAM OIDC provider /), "kept: created by the console for environment trial, not for this environment"]);
    await e.teardown();
    expect([...aws.fake.roles.keys()].sort()).toEqual(["studio-trial-rds-role", "studio-trial-s3-role"]);
    expect(aws.fake.buckets.has("studio-trial-models")).toBe(true);
    expect(aws.fake.providers.size).toBe(1);

    // Trial's own teardown: the provider is trial's, but a role of someone else still trusts it.
    const providerArn = [...aws.fake.providers.keys()][0];
    aws.fake.addRole("platform-irsa", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Federated: providerArn }, Action: "sts:AssumeRoleWithWebIdentity" }] });
    const trialPlan = await other.planTeardown();
    expect(keptRows(trialPlan)).toContainEqual([expect.stringMatching(/^IAM OIDC provider /), "kept: used by role platform-irsa (their trust policies name it)"]);
    const { view } = await other.teardown();
    expect(view.status).toBe("succeeded");
    expect([...aws.fake.roles.keys()]).toEqual(["platform-irsa"]);
    expect(aws.fake.providers.has(providerArn)).toBe(true);
    // Once nothing else trusts it, the next teardown deletes it.
    aws.fake.roles.delete("platform-irsa");
    aws.fake.clearLog();
    await other.teardown();
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(["DeleteOpenIDConnectProvider"]);
    await other.close();
    await e.close();
  });

  it("an abandoned trial whose cluster and database are gone: a warning, not a blocker; roles, bucket and provider still go", async () => {
    const e = await applied();
    aws.fake.cluster = null;
    aws.fake.db = null;
    const plan = await e.planTeardown();
    expect(plan.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/^EKS cluster studio-eks not found in eu-west-1 .*: the teardown removes what it still finds/)]),
    );
    expect(deletes(plan).map(([call]) => call)).toEqual([
      "iam:DeleteRolePolicy",
      "iam:DeleteRole",
      "iam:DeleteRolePolicy",
      "iam:DeleteRole",
      "iam:DeleteOpenIDConnectProvider",
      "s3:DeleteBucket",
    ]);
    const { view } = await e.teardown();
    expect(view.status).toBe("succeeded");
    expect(aws.fake.roles.size + aws.fake.providers.size).toBe(0);
    expect(aws.fake.buckets.has(staging.bucketName)).toBe(false);
    await e.close();
  });

  it("keeps an adopted role and a bucket that existed before the console", async () => {
    aws.fake.addRole(staging.rdsRoleName, trust, {}, { team: "platform" });
    aws.fake.buckets.set(staging.bucketName, { owner: aws.fake.account, region: "eu-west-1", tags: { team: "ml" } });
    aws.fake.db!.pollsUntilApplied = 1;
    const e = await engine(staging);
    await e.apply({ confirmedAdoptions: [staging.rdsRoleName, staging.bucketName] });
    const plan = await e.planTeardown();
    expect(keptRows(plan)).toEqual(
      expect.arrayContaining([
        [`IAM role ${staging.rdsRoleName}`, "kept: it existed before the console adopted it; a teardown removes only what the console created"],
        [`S3 bucket ${staging.bucketName}`, "kept: it existed before the console adopted it; a teardown removes only what the console created"],
      ]),
    );
    await e.teardown();
    expect(aws.fake.roles.has(staging.rdsRoleName)).toBe(true);
    expect(aws.fake.roles.has(staging.s3RoleName)).toBe(false);
    expect(aws.fake.buckets.has(staging.bucketName)).toBe(true);
    await e.close();
  });

  it("a bucket with models is kept unless its name was typed; typed, every version goes in batches of 1000, then the bucket", async () => {
    const e = await applied();
    for (let i = 0; i < 1001; i++) aws.fake.putObject(staging.bucketName, `models/m-${i}.tar.gz`, 10);
    aws.fake.deleteObject(staging.bucketName, "models/m-0.tar.gz");
    const plan = await e.planTeardown();
    const bucketRows = plan.steps.find((s) => s.key === "teardown-bucket")!.changes;
    expect(bucketRows.map((c) => [c.call, c.action, c.confirmName])).toEqual([
      ["s3:DeleteObjects", "delete", staging.bucketName],
      ["s3:DeleteBucket", "delete", staging.bucketName],
    ]);
    expect(bucketRows[0].reason).toMatch(/^holds more than 1000 object versions \(models\): deleted only when you type the bucket name/);

    aws.fake.clearLog();
    const kept = await e.teardown();
    expect(kept.view.status).toBe("succeeded");
    expect(aws.fake.buckets.has(staging.bucketName)).toBe(true);
    expect(aws.fake.calls("DeleteObjects")).toEqual([]);
    expect(aws.fake.calls("DeleteBucket")).toEqual([]);
    expect(kept.logs.map((l) => l.message)).toContain(`kept S3 bucket ${staging.bucketName}: its name (${staging.bucketName}) was not typed in the teardown form`);

    aws.fake.clearLog();
    const { view } = await e.teardown({ confirmDelete: [staging.bucketName] });
    expect(view.status).toBe("succeeded");
    expect(aws.fake.buckets.has(staging.bucketName)).toBe(false);
    // 1001 objects, one of them deleted behind a marker: 1002 versions and markers, two requests.
    expect(aws.fake.calls("DeleteObjects").map((c) => c.input.Delete.Objects.length)).toEqual([1000, 2]);
    await e.close();
  });

  it("IAM database authentication goes off only when the database identifier is typed; at the window when other changes are pending", async () => {
    const e = await applied();
    aws.fake.clearLog();
    const kept = await e.teardown();
    expect(aws.fake.calls("ModifyDBInstance")).toEqual([]);
    expect(kept.logs.map((l) => l.message)).toContain(
      "kept IAM database authentication of RDS DB instance studio-db: its name (studio-db) was not typed in the teardown form",
    );

    const off = await e.teardown({ confirmDelete: ["studio-db"] });
    expect(off.view.status).toBe("succeeded");
    expect(aws.fake.calls("ModifyDBInstance").map((c) => c.input)).toEqual([
      expect.objectContaining({ DBInstanceIdentifier: "studio-db", EnableIAMDatabaseAuthentication: false, ApplyImmediately: true }),
    ]);
    // Requested (pending, then applied): not planned again.
    const after = planChanges(await e.planTeardown()).find((c) => c.id === "teardown-database:iam-auth")!;
    expect(after.action).toBe("unchanged");
    expect(after.reason).toMatch(/^(being turned off: requested|already off)/);

    // Another modification pending: not immediately (ApplyImmediately would apply it too), at the window.
    Object.assign(aws.fake.db!, { iamAuth: true, status: "available", pending: { DBInstanceClass: "db.r6g.large" } });
    const plan = await e.planTeardown();
    const row = planChanges(plan).find((c) => c.id === "teardown-database:iam-auth")!;
    expect(row).toMatchObject({ action: "delete", confirmName: "studio-db" });
    expect(JSON.parse(row.document!)).toMatchObject({ EnableIAMDatabaseAuthentication: false, ApplyImmediately: false });
    expect(row.reason).toMatch(/at the next maintenance window \(DBInstanceClass pending/);
    await e.close();
  });

  it("refuses a teardown that would delete what the admin did not review; nothing is deleted", async () => {
    const e = await applied();
    aws.fake.clearLog();
    const { view, logs } = await e.teardown({ reviewed: [] });
    expect(view.status).toBe("failed");
    expect(view.error).toMatch(/^the account changed since the teardown plan was reviewed \(7 deletes not reviewed, listed in the log\)/);
    expect(logs.some((l) => /^changed since the review: iam:DeleteRole IAM role studio-staging-rds-role: delete, not in the reviewed teardown plan$/.test(l.message))).toBe(true);
    expect(aws.fake.mutatingCalls()).toEqual([]);
    await e.close();
  });

  it("EKS Pod Identity: deletes the console's associations before the roles, keeps another association and the agent", async () => {
    const settings = testSettings({ identityMode: "pod-identity" });
    const e = await applied(settings);
    const foreign = aws.fake.addPodIdentityAssociation({ namespace: settings.namespace, serviceAccount: "grafana", roleArn: "arn:aws:iam::111122223333:role/grafana" });
    const plan = await e.planTeardown();
    const assoc = plan.steps.find((s) => s.key === "teardown-pod-identity")!.changes;
    expect(assoc.filter((c) => c.action === "delete").length).toBeGreaterThan(0);
    expect(assoc.find((c) => c.id.endsWith(foreign))).toMatchObject({ action: "unchanged", reason: "kept: not created by the console for this environment" });
    aws.fake.clearLog();
    const { view } = await e.teardown();
    expect(view.status).toBe("succeeded");
    const commands = aws.fake.mutatingCalls().map((c) => c.command);
    expect(commands.lastIndexOf("DeletePodIdentityAssociation")).toBeLessThan(commands.indexOf("DeleteRole"));
    const left = Object.keys(aws.fake.regionState().clusters[aws.fake.cluster!.name].associations ?? {});
    expect(left).toEqual([foreign]);
    expect(aws.fake.regionState().clusters[aws.fake.cluster!.name].addons).toHaveProperty("eks-pod-identity-agent");
    aws.fake.clearLog();
    await e.teardown();
    expect(aws.fake.mutatingCalls()).toEqual([]);
    await e.close();
  });
});
