import "server-only";
// Who the console is: account, caller ARN and partition (from the ARN, which also covers aws-cn and GovCloud).
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { Partition } from "../config/aws-names";
import { awsCall, type AwsCallContext } from "./call";
import type { AwsClients } from "./clients";

export interface CallerIdentity {
  accountId: string;
  arn: string;
  userId: string;
  partition: Partition;
  requestId?: string;
}

export function partitionOfArn(arn: string): Partition {
  const p = arn.split(":")[1];
  if (p === "aws" || p === "aws-cn" || p === "aws-us-gov") return p;
  throw new Error(`unsupported AWS partition "${p}" in caller ARN ${arn}`);
}

export async function readIdentity(c: AwsClients, cx: AwsCallContext): Promise<CallerIdentity> {
  const res = await awsCall(cx, "sts:GetCallerIdentity", (o) => c.sts.send(new GetCallerIdentityCommand({}), o));
  if (!res.Account || !res.Arn) throw new Error("sts:GetCallerIdentity returned no account or ARN");
  return {
    accountId: res.Account,
    arn: res.Arn,
    userId: res.UserId ?? "",
    partition: partitionOfArn(res.Arn),
    requestId: res.$metadata.requestId,
  };
}
