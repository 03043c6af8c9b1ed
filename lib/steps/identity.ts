import "server-only";
// Step `identity`: who the console acts as (STS GetCallerIdentity), shown to the admin before anything changes.
// The account and partition it reports are in every ARN the other steps build.
import { readIdentity } from "../aws/sts";
import type { Partition } from "../config/aws-names";
import { noResource } from "../policies/scopes";
import type { Step } from "./types";

export interface IdentityFacts {
  accountId: string;
  arn: string;
  partition: Partition;
}

export const identityStep: Step<IdentityFacts> = {
  key: "identity",
  title: "Check the AWS identity",
  dependsOn: [],
  permissions: [{ actions: ["sts:GetCallerIdentity"], resources: noResource }],

  async observe(ctx) {
    const id = await ctx.read("sts:GetCallerIdentity", () => readIdentity(ctx.aws, ctx.cx));
    // Only what is stable: the request id would make every observation differ from the last.
    return { accountId: id.accountId, arn: id.arn, partition: id.partition };
  },

  changes: () => [],

  describe: (f) => [`acting as ${f.arn} in account ${f.accountId} (partition ${f.partition})`],
};
