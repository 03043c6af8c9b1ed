// The catalogue as a whole: order and dependencies, every change holding to its step's declared permissions, a
// whole apply through the job service, then one that changes nothing, every AWS call covered by the operator
// policy derived from the catalogue, on the very resources it acted on.
import { describe, expect, it } from "vitest";
import { RESOURCELESS_ACTIONS } from "@/lib/policies/scopes";
import { fakeAwsPerTest } from "@/tests/support/fake-aws";
import { engine, observe } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";
import { STEP_KEYS, STEPS, stepByKey } from "./index";
import { operatorPolicy } from "./operator-policy";
import { buildPlan } from "./plan";

const aws = fakeAwsPerTest();
const env = testSettings();
const ACCOUNT = "111122223333";

/** The IAM action each API call needs (where the names differ, the documented one). */
const ACTION_OF: Record<string, string> = {
  HeadBucket: "s3:ListBucket",
  GetBucketEncryption: "s3:GetEncryptionConfiguration",
  PutBucketEncryption: "s3:PutEncryptionConfiguration",
  GetPublicAccessBlock: "s3:GetBucketPublicAccessBlock",
  PutPublicAccessBlock: "s3:PutBucketPublicAccessBlock",
  GetBucketLifecycleConfiguration: "s3:GetLifecycleConfiguration",
  PutBucketLifecycleConfiguration: "s3:PutLifecycleConfiguration",
};

/** The resource an API call acts on, as IAM evaluates it. */
function resourceOf(service: string, command: string, input: Record<string, string>): string {
  if (service === "iam" && input.RoleName) return `arn:aws:iam::${ACCOUNT}:role/${input.RoleName}`;
  if (service === "iam" && input.OpenIDConnectProviderArn) return input.OpenIDConnectProviderArn;
  if (service === "iam" && input.Url) return `arn:aws:iam::${ACCOUNT}:oidc-provider/${input.Url.replace(/^https:\/\//, "")}`;
  if (service === "s3" && input.Bucket) return `arn:aws:s3:::${input.Bucket}`;
  if (service === "rds" && input.DBInstanceIdentifier) return `arn:aws:rds:eu-west-1:${ACCOUNT}:db:${input.DBInstanceIdentifier}`;
  if (service === "rds" && input.DBClusterIdentifier) return `arn:aws:rds:eu-west-1:${ACCOUNT}:cluster:${input.DBClusterIdentifier}`;
  if (service === "eks" && input.name) return `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/${input.name}`;
  if (["GetCallerIdentity", "ListOpenIDConnectProviders"].includes(command)) return "*";
  throw new Error(`test: no resource known for ${service}:${command}`);
}

function allows(policy: ReturnType<typeof operatorPolicy>, action: string, resource: string): boolean {
  const match = (pattern: string) => new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.?+^$()[\]{}|\\/]/g, "\\$&")).join(".*")}$`).test(resource);
  return policy.Statement.some((s) => ([] as string[]).concat(s.Action).includes(action) && ([] as string[]).concat(s.Resource ?? []).some(match));
}

describe("step catalogue", () => {
  it("lists every step once, in dependency order", () => {
    expect([...STEP_KEYS]).toEqual(["identity", "discover", "oidc-provider", "rds-role", "s3-role", "s3-bucket", "s3-bucket-policy", "pod-identity", "rds-iam-auth", "db-grants", "eks-access"]);
    expect(Object.fromEntries(STEPS.map((s) => [s.key, s.dependsOn]))).toEqual({
      identity: [],
      discover: ["identity"],
      "oidc-provider": ["discover"],
      "rds-role": ["identity", "discover", "oidc-provider"],
      "s3-role": ["identity", "discover", "oidc-provider"],
      "s3-bucket": ["identity"],
      "s3-bucket-policy": ["s3-bucket", "s3-role"],
      "pod-identity": ["discover", "rds-role", "s3-role"],
      "rds-iam-auth": ["discover"],
      "db-grants": ["discover", "rds-iam-auth"],
      "eks-access": ["identity", "discover"],
    });
    expect(stepByKey("rds-role").title).toBe("Create the RDS IAM role");
    expect(() => stepByKey("nope")).toThrow(/unknown step "nope"/);
  });

  it("every step scopes its permissions: `*` only for the calls AWS defines without a resource", () => {
    for (const step of STEPS)
      for (const p of step.permissions) {
        const any = p.resources({ partition: "aws", accountId: "*", region: "*" }).includes("*");
        if (any) expect(p.actions.filter((a) => !RESOURCELESS_ACTIONS.has(a)), `${step.key}: ${p.actions.join(", ")}`).toEqual([]);
        const scoped = p.resources({ partition: "aws", accountId: ACCOUNT, region: "eu-west-1", settings: env });
        expect(scoped.length, step.key).toBeGreaterThan(0);
      }
    for (const s of operatorPolicy().Statement)
      if (([] as string[]).concat(s.Resource ?? []).includes("*"))
        expect(([] as string[]).concat(s.Action).filter((a) => !RESOURCELESS_ACTIONS.has(a))).toEqual([]);
  });

  it("every change names only actions its step declares (fresh, drifted and converged accounts)", async () => {
    const check = async () => {
      const facts = await observe(env);
      for (const step of buildPlan(env, facts).steps) {
        const declared = new Set(stepByKey(step.key).permissions.flatMap((p) => p.actions));
        for (const c of step.changes) expect(c.needs.filter((a) => !declared.has(a)), c.id).toEqual([]);
      }
    };
    await check();
    aws.fake.addRole("studio-staging-rds-role", { Version: "2012-10-17", Statement: [] }, {}, { team: "x" });
    aws.fake.providers.set(`arn:aws:iam::${ACCOUNT}:oidc-provider/x`, { url: "https://x", clientIds: [], tags: {} });
    await check();
  });

  it("whole apply through the job service on a fresh account, then one that changes nothing; the operator policy covers every call on its resource", async () => {
    aws.fake.db!.pollsUntilApplied = 1;
    const e = await engine(env);
    const first = await e.apply();
    expect(Object.fromEntries(first.view.steps.map((s) => [s.key, s.status]))).toMatchObject({
      identity: "succeeded",
      "s3-bucket": "succeeded",
      "rds-iam-auth": "succeeded",
      // The grants need the DB admin's password, which this run was not given.
      "db-grants": "failed",
    });
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(
      expect.arrayContaining(["CreateOpenIDConnectProvider", "CreateRole", "PutRolePolicy", "CreateBucket", "PutBucketPolicy", "ModifyDBInstance"]),
    );
    expect(aws.fake.mutatingCalls()).toHaveLength(13);

    const policy = operatorPolicy({ settings: env, accountId: ACCOUNT });
    const uncovered = aws.fake
      .calls()
      .map((c) => ({ action: ACTION_OF[c.command] ?? `${c.service}:${c.command}`, resource: resourceOf(c.service, c.command, c.input) }))
      .filter((n) => !allows(policy, n.action, n.resource));
    expect(uncovered).toEqual([]);

    aws.fake.clearLog();
    const second = await e.apply();
    expect(aws.fake.mutatingCalls()).toEqual([]);
    expect(second.logs.some((l) => /every change is already in place/.test(l.message))).toBe(true);
    await e.close();
  });
});
