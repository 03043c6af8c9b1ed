// The facts the desired state depends on (account, partition, issuer, database resource id), taken either
// from discovery (for a plan) or from earlier steps' outputs (during apply): one desired state for both.
import type { EnvironmentSettings } from "../config/environment";
import type { Partition } from "../config/aws-names";
import { oidcProviderArn } from "../policies/arn";
import { optionalOutput, requireOutput } from "./outputs";
import type { Observed, StepKey, StepOutput } from "./types";

export interface Facts {
  partition: Partition;
  accountId: string;
  region: string;
  /** Null when the cluster was not found. */
  oidcIssuer: string | null;
  /** The existing provider's ARN, or the one IAM will give it (deterministic), or null without an issuer. */
  oidcProviderArn: string | null;
  /** Null when the database was not found. */
  db: { kind: "instance" | "cluster"; identifier: string; resourceId: string } | null;
}

export function factsFromObserved(env: EnvironmentSettings, observed: Observed): Facts {
  const { partition, accountId } = observed.identity;
  const issuer = observed.cluster?.oidcIssuer || null;
  return {
    partition,
    accountId,
    region: env.region,
    oidcIssuer: issuer,
    oidcProviderArn: observed.oidcProvider?.arn ?? (issuer ? oidcProviderArn(partition, accountId, issuer) : null),
    db: observed.database
      ? { kind: observed.database.kind, identifier: observed.database.identifier, resourceId: observed.database.resourceId }
      : null,
  };
}

export function factsFromOutputs(
  env: EnvironmentSettings,
  outputs: Partial<Record<StepKey, StepOutput>>,
  by: StepKey,
): Facts {
  const d = requireOutput(outputs, "discover", by);
  const provider = optionalOutput(outputs, "oidc-provider")?.oidcProviderArn;
  return {
    partition: d.partition,
    accountId: d.accountId,
    region: env.region,
    oidcIssuer: d.oidcIssuer,
    oidcProviderArn: provider ?? d.oidcProviderArn ?? oidcProviderArn(d.partition, d.accountId, d.oidcIssuer),
    db: { kind: d.dbKind, identifier: env.dbIdentifier, resourceId: d.dbResourceId },
  };
}
