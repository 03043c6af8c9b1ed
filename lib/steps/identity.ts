import "server-only";
// Step `identity`: who the console acts as (STS GetCallerIdentity), shown to the admin before anything changes.
import { awsClients } from "../aws/clients";
import { readIdentity } from "../aws/sts";
import type { IdentityOutput } from "./outputs";
import type { Step } from "./types";

export const identityStep: Step = {
  key: "identity",
  title: "Check the AWS identity",
  dependsOn: [],
  iamActions: ["sts:GetCallerIdentity"],

  plan(_env, observed) {
    return [
      {
        step: "identity",
        action: "read",
        call: "sts:GetCallerIdentity",
        resource: `caller ${observed.identity.arn} in account ${observed.identity.accountId}`,
      },
    ];
  },

  async apply(ctx) {
    const id = await readIdentity(awsClients(ctx.env.region), { signal: ctx.signal });
    await ctx.log("info", `acting as ${id.arn} in account ${id.accountId} (partition ${id.partition})`, id.requestId);
    const out: IdentityOutput = { accountId: id.accountId, callerArn: id.arn, partition: id.partition };
    return out;
  },

  async verify(ctx) {
    const id = await readIdentity(awsClients(ctx.env.region), { signal: ctx.signal });
    const expected = ctx.outputs.identity?.accountId;
    return [
      {
        name: "AWS identity",
        ok: expected === undefined || expected === id.accountId,
        detail:
          expected === undefined || expected === id.accountId
            ? `${id.arn} in account ${id.accountId}`
            : `now acting in account ${id.accountId}, the run used ${expected}`,
      },
    ];
  },
};
