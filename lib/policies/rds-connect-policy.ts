// The RDS role's permission: `rds-db:connect` for the one IAM database user (the guide grants `/*`, every
// user, and names the instance where AWS wants the resource id).
import type { Partition } from "../config/aws-names";
import { rdsDbUserArn } from "./arn";
import { POLICY_VERSION, type PolicyDocument } from "./types";

export interface RdsConnectPolicyInput {
  partition: Partition;
  region: string;
  accountId: string;
  /** `instance` expects a `db-…` resource id, `cluster` (Aurora) a `cluster-…` one. */
  dbKind: "instance" | "cluster";
  resourceId: string;
  dbUser: string;
}

export function rdsConnectPolicy(input: RdsConnectPolicyInput): PolicyDocument {
  const prefix = input.dbKind === "instance" ? "db-" : "cluster-";
  if (!input.resourceId.startsWith(prefix))
    throw new Error(
      `RDS resource id "${input.resourceId}" must start with ${prefix} for a DB ${input.dbKind === "instance" ? "instance (DbiResourceId)" : "cluster (DbClusterResourceId)"}`,
    );
  return {
    Version: POLICY_VERSION,
    Statement: [
      {
        Effect: "Allow",
        Action: ["rds-db:connect"],
        Resource: [
          rdsDbUserArn(input.partition, input.region, input.accountId, input.resourceId, input.dbUser),
        ],
      },
    ],
  };
}
