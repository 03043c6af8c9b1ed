// What the console expects to exist before it runs (an EKS cluster, an RDS instance), created in the endpoint
// by the test, and everything removed afterwards. Product code never creates these.
import { DeleteClusterCommand } from "@aws-sdk/client-eks";
import { DeleteOpenIDConnectProviderCommand, DeleteRoleCommand, DeleteRolePolicyCommand, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { DeleteDBInstanceCommand } from "@aws-sdk/client-rds";
import { DeleteBucketCommand, DeleteBucketPolicyCommand } from "@aws-sdk/client-s3";
import { awsClients } from "@/lib/aws/clients";
import { environmentSettingsSchema, type EnvironmentSettings } from "@/lib/config/environment";
import { createEksCluster, createRdsInstance } from "../support/aws-prerequisites";
import { assertSafeEndpoint } from "./endpoint-guard";

/**
 * The start of a live suite: the endpoint checked (nothing is sent to one that is not safe), RDS polled every
 * second, the cluster and database made. A half-made set is removed before the error is thrown; once this
 * returns, the suite's afterAll removes everything.
 */
export async function prepareLive(endpoint: string, env: EnvironmentSettings): Promise<true> {
  assertSafeEndpoint(endpoint);
  process.env.RDS_POLL_INTERVAL_MS ??= "1000";
  try {
    await createFixtures(env);
  } catch (error) {
    await removeAll(env, null);
    throw error;
  }
  return true;
}

export async function createFixtures(env: EnvironmentSettings): Promise<void> {
  const c = awsClients(env.region);
  await createEksCluster(c.eks, env.clusterName);
  await createRdsInstance(c.rds, env.dbIdentifier, env.databaseName);
}

/** Best effort: a cleanup failure must not hide the test's own result. */
export async function removeAll(env: EnvironmentSettings, oidcProviderArn: string | null): Promise<string[]> {
  const c = awsClients(env.region);
  const problems: string[] = [];
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      problems.push(`${what}: ${(e as Error).name}`);
    }
  };
  for (const role of [env.rdsRoleName, env.s3RoleName]) {
    await attempt(`policies of ${role}`, async () => {
      const names = (await c.iam.send(new ListRolePoliciesCommand({ RoleName: role }))).PolicyNames ?? [];
      for (const PolicyName of names) await c.iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName }));
    });
    await attempt(`role ${role}`, () => c.iam.send(new DeleteRoleCommand({ RoleName: role })));
  }
  if (oidcProviderArn)
    await attempt("OIDC provider", () => c.iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: oidcProviderArn })));
  await attempt("bucket policy", () => c.s3.send(new DeleteBucketPolicyCommand({ Bucket: env.bucketName })));
  await attempt("bucket", () => c.s3.send(new DeleteBucketCommand({ Bucket: env.bucketName })));
  await attempt("DB instance", () =>
    c.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: env.dbIdentifier, SkipFinalSnapshot: true })),
  );
  await attempt("EKS cluster", () => c.eks.send(new DeleteClusterCommand({ name: env.clusterName })));
  return problems;
}

/**
 * An environment's settings with names unique to this test run (the emulator's state is shared by every run), all
 * starting `studio-<prefix>-`.
 */
export function liveSettingsInput(name: string, prefix: string, extra: Record<string, unknown> = {}): Record<string, unknown> & { region: string; bucketName: string } {
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const base = `studio-${prefix}-${suffix}`;
  return {
    name,
    region: process.env.AWS_REGION || "eu-west-1",
    clusterName: base,
    dbIdentifier: base,
    databaseName: "studio",
    bucketName: base,
    storageSituation: "already-s3",
    rdsRoleName: `${base}-rds`,
    s3RoleName: `${base}-s3`,
    ...extra,
  };
}

export function liveSettings(name: string, prefix: string, extra: Record<string, unknown> = {}): EnvironmentSettings {
  return environmentSettingsSchema.parse(liveSettingsInput(name, prefix, extra));
}
