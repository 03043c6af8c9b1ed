// The teardown's own permissions: every change names only actions its step declares, and the teardown policy
// derived from them covers every call a teardown makes, on the resource it acts on, in the aws and aws-cn
// partitions (ARNs are built with the partition of the region).
import { describe, expect, it } from "vitest";
import { RESOURCELESS_ACTIONS } from "@/lib/policies/scopes";
import { buildPlan } from "@/lib/steps/plan";
import { TEARDOWN_STEPS } from "@/lib/teardown";
import { teardownPolicy } from "@/lib/teardown/policy";
import type { EnvironmentSettings } from "@/lib/config/environment";
import { FakeAws, fakeAwsPerTest } from "@/tests/support/fake-aws";
import { engine, observe } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";

const aws = fakeAwsPerTest();
const ACCOUNT = "111122223333";

const ACTION_OF: Record<string, string> = {
  HeadBucket: "s3:ListBucket",
  ListObjectVersions: "s3:ListBucketVersions",
  DeleteObjects: "s3:DeleteObjectVersion",
};

function resourceOf(p: string, region: string, service: string, command: string, input: Record<string, unknown>): string {
  const s = (k: string) => input[k] as string;
  if (service === "iam" && input.RoleName) return `arn:${p}:iam::${ACCOUNT}:role/${s("RoleName")}`;
  if (service === "iam" && input.PolicyArn) return s("PolicyArn");
  if (service === "iam" && input.OpenIDConnectProviderArn) return s("OpenIDConnectProviderArn");
  if (command === "DeleteObjects") return `arn:${p}:s3:::${s("Bucket")}/${(input.Delete as { Objects: { Key: string }[] }).Objects[0].Key}`;
  if (service === "s3" && input.Bucket) return `arn:${p}:s3:::${s("Bucket")}`;
  if (service === "rds" && input.DBInstanceIdentifier) return `arn:${p}:rds:${region}:${ACCOUNT}:db:${s("DBInstanceIdentifier")}`;
  if (service === "eks" && input.associationId) return `arn:${p}:eks:${region}:${ACCOUNT}:podidentityassociation/${s("clusterName")}/${s("associationId")}`;
  if (service === "eks" && (input.clusterName || input.name)) return `arn:${p}:eks:${region}:${ACCOUNT}:cluster/${s("clusterName") ?? s("name")}`;
  if (["GetCallerIdentity", "ListOpenIDConnectProviders", "ListRoles"].includes(command)) return "*";
  throw new Error(`test: no resource known for ${service}:${command}`);
}

function allows(policy: ReturnType<typeof teardownPolicy>, action: string, resource: string): boolean {
  const match = (pattern: string) => new RegExp(`^${pattern.split("*").map((x) => x.replace(/[.?+^$()[\]{}|\\/]/g, "\\$&")).join(".*")}$`).test(resource);
  return policy.Statement.some((st) => ([] as string[]).concat(st.Action).includes(action) && ([] as string[]).concat(st.Resource ?? []).some(match));
}

async function teardownCovered(settings: EnvironmentSettings, partition: string) {
  aws.fake.db!.pollsUntilApplied = 1;
  const e = await engine(settings);
  await e.apply();
  aws.fake.putObject(settings.bucketName, "models/a.tar.gz");
  const facts = await observe(settings, { steps: TEARDOWN_STEPS });
  for (const step of buildPlan(settings, facts, TEARDOWN_STEPS).steps) {
    const declared = new Set(TEARDOWN_STEPS.find((s) => s.key === step.key)!.permissions.flatMap((p) => p.actions));
    for (const c of step.changes) expect(c.needs.filter((a) => !declared.has(a)), c.id).toEqual([]);
  }
  aws.fake.clearLog();
  const { view } = await e.teardown({ confirmDelete: [settings.bucketName] });
  expect(view.status).toBe("succeeded");
  expect(aws.fake.mutatingCalls().length).toBeGreaterThan(4);
  const policy = teardownPolicy({ settings, accountId: ACCOUNT });
  expect(JSON.stringify(policy)).not.toMatch(partition === "aws" ? /arn:aws-/ : /arn:aws:/);
  const uncovered = aws.fake
    .calls()
    .map((c) => ({ action: ACTION_OF[c.command] ?? `${c.service}:${c.command}`, resource: resourceOf(partition, settings.region, c.service, c.command, c.input) }))
    .filter((n) => !allows(policy, n.action, n.resource));
  expect(uncovered).toEqual([]);
  await e.close();
}

describe("teardown permissions", () => {
  it("scoped: `*` only for the calls AWS defines without a resource", () => {
    for (const step of TEARDOWN_STEPS)
      for (const p of step.permissions)
        if (p.resources({ partition: "aws", accountId: "*", region: "*" }).includes("*"))
          expect(p.actions.filter((a) => !RESOURCELESS_ACTIONS.has(a)), step.key).toEqual([]);
  });

  it("IRSA in aws-cn: every call of a teardown is allowed by the teardown policy, on its resource", async () => {
    aws.replace(new FakeAws({ region: "cn-north-1" }));
    await teardownCovered(testSettings({ region: "cn-north-1" }), "aws-cn");
  });

  it("EKS Pod Identity in aws-us-gov: every call of a teardown is allowed by the teardown policy, on its resource", async () => {
    aws.replace(new FakeAws({ region: "us-gov-west-1" }));
    await teardownCovered(testSettings({ region: "us-gov-west-1", identityMode: "pod-identity" }), "aws-us-gov");
  });
});
