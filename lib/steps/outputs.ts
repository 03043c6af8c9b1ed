// The flat outputs steps hand to each other (stored on each StepRun as its checkpoint). Later steps, the
// db-grants step and the Helm values read these keys; renaming one is a breaking change.
import type { Partition } from "../config/aws-names";
import type { StepContext, StepKey, StepOutput } from "./types";

/** `identity`: who the console is. */
export type IdentityOutput = {
  accountId: string;
  callerArn: string;
  partition: Partition;
};

/** `discover`: everything later steps need from the account, flat. */
export type DiscoverOutput = IdentityOutput & {
  /** The EKS cluster's OIDC issuer URL (`https://oidc.eks.<region>.amazonaws.com/id/<id>`). */
  oidcIssuer: string;
  /** The IAM OIDC provider of that issuer, or null when it does not exist yet. */
  oidcProviderArn: string | null;
  dbKind: "instance" | "cluster";
  /** The writer endpoint host name and port. */
  dbEndpoint: string;
  dbPort: number;
  /** `postgres`, `aurora-postgresql`, … */
  dbEngine: string;
  /** `db-…` (instance DbiResourceId) or `cluster-…` (Aurora DbClusterResourceId). */
  dbResourceId: string;
  dbIamAuthEnabled: boolean;
  bucketState: "missing" | "owned" | "foreign";
};

/** `oidc-provider`. */
export type OidcProviderOutput = { oidcProviderArn: string };

/** `rds-role` and `s3-role`: what the Helm annotations `eks.amazonaws.com/role-arn` hold. */
export type RoleOutput = { roleName: string; roleArn: string; policyName: string };

/** `s3-bucket`. */
export type BucketOutput = { bucketName: string; bucketArn: string; bucketRegion: string };

/** `rds-iam-auth`. */
export type RdsIamAuthOutput = { dbIamAuthEnabled: boolean; dbStatus: string };

export interface StepOutputs {
  identity: IdentityOutput;
  discover: DiscoverOutput;
  "oidc-provider": OidcProviderOutput;
  "rds-role": RoleOutput;
  "s3-role": RoleOutput;
  "s3-bucket": BucketOutput;
  "rds-iam-auth": RdsIamAuthOutput;
}

type Outputs = Partial<Record<StepKey, StepOutput>>;

/** The output of an earlier step, or a clear error naming the step that has to run first. */
export function requireOutput<K extends keyof StepOutputs>(outputs: Outputs, key: K, by: StepKey): StepOutputs[K] {
  const out = outputs[key];
  if (!out) throw new Error(`step ${by} needs the output of step ${key}: run ${key} first`);
  return out as unknown as StepOutputs[K];
}

export function optionalOutput<K extends keyof StepOutputs>(outputs: Outputs, key: K): StepOutputs[K] | undefined {
  return outputs[key] as unknown as StepOutputs[K] | undefined;
}

/** The call context of a step: its cancel signal and the caller ARN for AccessDenied messages. */
export function callContext(ctx: StepContext) {
  const id = ctx.outputs.identity ?? ctx.outputs.discover;
  const callerArn = typeof id?.callerArn === "string" ? id.callerArn : undefined;
  return { signal: ctx.signal, callerArn };
}
