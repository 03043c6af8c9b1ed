import "server-only";
// Discovery: one read-only look at everything the plan depends on. Independent reads run in parallel; a thing
// that does not exist is `null` (or bucket state `missing`), never an error.
import type { EnvironmentSettings } from "../config/environment";
import { awsClients } from "../aws/clients";
import { readCluster } from "../aws/eks";
import { findOidcProvider, listOidcProviderArns, readRole } from "../aws/iam";
import { readDatabase } from "../aws/rds";
import { readBucket } from "../aws/s3";
import { readIdentity } from "../aws/sts";
import type { Observed } from "./types";

export async function discoverEnvironment(
  env: EnvironmentSettings,
  opts: { signal?: AbortSignal } = {},
): Promise<Observed> {
  const c = awsClients(env.region);
  const cx = { signal: opts.signal };
  const identityP = readIdentity(c, cx);
  // The caller ARN makes AccessDenied messages of the other reads name who was refused.
  const withCaller = identityP.then((id) => ({ ...cx, callerArn: id.arn }));
  const clusterP = withCaller.then((x) => readCluster(c, x, env.clusterName));
  const databaseP = withCaller.then((x) => readDatabase(c, x, env.dbKind, env.dbIdentifier));
  const rdsRoleP = withCaller.then((x) => readRole(c, x, env.rdsRoleName));
  const s3RoleP = withCaller.then((x) => readRole(c, x, env.s3RoleName));
  const providersP = withCaller.then((x) => listOidcProviderArns(c, x));
  const bucketP = identityP.then((id) => readBucket(c, { ...cx, callerArn: id.arn }, env.bucketName, id.accountId));
  const oidcP = Promise.all([withCaller, clusterP, providersP]).then(([x, cluster, arns]) =>
    cluster?.oidcIssuer ? findOidcProvider(c, x, cluster.oidcIssuer, arns) : null,
  );
  const settled = [identityP, clusterP, databaseP, rdsRoleP, s3RoleP, providersP, bucketP, oidcP];
  // Wait for every read before failing, so no read is left running after discovery has returned.
  const results = await Promise.allSettled(settled);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const identity = await identityP;
  return {
    identity: { accountId: identity.accountId, arn: identity.arn, partition: identity.partition },
    cluster: await clusterP,
    database: await databaseP,
    oidcProvider: await oidcP,
    roles: { rds: await rdsRoleP, s3: await s3RoleP },
    bucket: await bucketP,
  };
}
