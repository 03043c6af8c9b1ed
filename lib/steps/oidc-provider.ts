import "server-only";
// Step `oidc-provider`: the IAM OIDC identity provider of the cluster's issuer, with the STS audience. IAM allows
// one provider per issuer URL per account, so look before creating; no thumbprint (IAM checks it itself).
import { awsClients } from "../aws/clients";
import { AwsCallError } from "../aws/errors";
import { addOidcClientId, createOidcProvider, findOidcProvider } from "../aws/iam";
import { managedTags } from "../aws/tags";
import { oidcIssuerHost } from "../policies/arn";
import { toPolicyJson } from "../policies/policy-json";
import { STS_AUDIENCE } from "../policies/trust-policy";
import { factsFromObserved } from "./facts";
import { callContext, requireOutput, type OidcProviderOutput } from "./outputs";
import { verifyByPlan } from "./verify-by-plan";
import type { PlannedChange, Step } from "./types";

export const OIDC_PROVIDER_ACTIONS = [
  "iam:ListOpenIDConnectProviders",
  "iam:GetOpenIDConnectProvider",
  "iam:CreateOpenIDConnectProvider",
  "iam:TagOpenIDConnectProvider",
  "iam:AddClientIDToOpenIDConnectProvider",
];

export const oidcProviderStep: Step = {
  key: "oidc-provider",
  title: "Create or verify the OIDC provider",
  dependsOn: ["discover"],
  iamActions: OIDC_PROVIDER_ACTIONS,

  plan(env, observed) {
    const facts = factsFromObserved(env, observed);
    const change = (c: Omit<PlannedChange, "step">): PlannedChange => ({ step: "oidc-provider", ...c });
    if (!facts.oidcIssuer)
      return [
        change({
          action: "create",
          call: "iam:CreateOpenIDConnectProvider",
          resource: `IAM OIDC provider of EKS cluster ${env.clusterName}`,
          reason: "the cluster was not found, so its OIDC issuer is unknown",
          warnings: [`EKS cluster ${env.clusterName} not found in ${env.region}: the apply will stop at discovery`],
        }),
      ];
    const resource = `IAM OIDC provider ${oidcIssuerHost(facts.oidcIssuer)}`;
    const p = observed.oidcProvider;
    if (!p)
      return [
        change({
          action: "create",
          call: "iam:CreateOpenIDConnectProvider",
          resource,
          reason: "no provider for the cluster's issuer in this account",
          document: toPolicyJson({
            Url: facts.oidcIssuer,
            ClientIDList: [STS_AUDIENCE],
            Tags: Object.entries(managedTags(env.name)).map(([Key, Value]) => ({ Key, Value })),
          }),
          language: "json",
        }),
      ];
    if (!p.clientIds.includes(STS_AUDIENCE))
      return [
        change({
          action: "update",
          call: "iam:AddClientIDToOpenIDConnectProvider",
          resource,
          reason: `the provider's audiences (${p.clientIds.join(", ") || "none"}) lack ${STS_AUDIENCE}`,
          document: toPolicyJson({ OpenIDConnectProviderArn: p.arn, ClientID: STS_AUDIENCE }),
          language: "json",
        }),
      ];
    return [
      change({
        action: "unchanged",
        call: "iam:CreateOpenIDConnectProvider",
        resource,
        reason: `exists with audience ${STS_AUDIENCE}`,
      }),
    ];
  },

  async apply(ctx) {
    const c = awsClients(ctx.env.region);
    const cx = callContext(ctx);
    const { oidcIssuer } = requireOutput(ctx.outputs, "discover", "oidc-provider");
    let provider = await findOidcProvider(c, cx, oidcIssuer);
    if (!provider) {
      try {
        const created = await createOidcProvider(c, cx, oidcIssuer, STS_AUDIENCE, managedTags(ctx.env.name));
        await ctx.checkpoint({ oidcProviderArn: created.arn });
        await ctx.log("info", `created IAM OIDC provider ${created.arn} (audience ${STS_AUDIENCE})`, created.requestId);
        return { oidcProviderArn: created.arn } satisfies OidcProviderOutput;
      } catch (err) {
        // Created by someone else since the read: use theirs.
        if (!(err instanceof AwsCallError && err.code === "EntityAlreadyExistsException")) throw err;
        provider = await findOidcProvider(c, cx, oidcIssuer);
        if (!provider) throw err;
      }
    }
    if (!provider.clientIds.includes(STS_AUDIENCE)) {
      const res = await addOidcClientId(c, cx, provider.arn, STS_AUDIENCE);
      await ctx.checkpoint({ oidcProviderArn: provider.arn });
      await ctx.log("info", `added audience ${STS_AUDIENCE} to IAM OIDC provider ${provider.arn}`, res.requestId);
    } else {
      await ctx.log("info", `IAM OIDC provider ${provider.arn} already exists with audience ${STS_AUDIENCE}: unchanged`);
    }
    return { oidcProviderArn: provider.arn } satisfies OidcProviderOutput;
  },

  verify(ctx) {
    return verifyByPlan(oidcProviderStep, ctx);
  },
};
