import "server-only";
// Step `oidc-provider`: the IAM OIDC identity provider of the cluster's issuer, with the STS audience (IRSA only).
// IAM allows one provider per issuer URL per account, so look before creating; no thumbprint (IAM checks it).
import { AwsCallError } from "../aws/errors";
import { addOidcClientId, createOidcProvider, findOidcProvider, listOidcProviderArns, type ObservedOidcProvider } from "../aws/iam";
import { managedTags, toTagList } from "../aws/tags";
import { oidcIssuerHost, oidcProviderArn } from "../policies/arn";
import { noResource, scopes } from "../policies/scopes";
import { STS_AUDIENCE } from "../policies/trust-policy";
import { change, json } from "./change";
import { readClusterOnce, discoverFacts } from "./discover";
import { identityFacts } from "./facts";
import { factsOf, type Facts, type Step } from "./types";

export interface OidcProviderFacts {
  /** The provider of the cluster's issuer, or null (also when the cluster is unknown). */
  provider: ObservedOidcProvider | null;
}

const tagArgs = (tags: Record<string, string>) => toTagList(tags).map((t) => `Key=${t.Key},Value=${t.Value}`);

export const oidcProviderStep: Step<OidcProviderFacts> = {
  key: "oidc-provider",
  title: "Create or verify the OIDC provider",
  dependsOn: ["discover"],
  permissions: [
    { actions: ["iam:ListOpenIDConnectProviders"], resources: noResource },
    {
      actions: [
        "iam:GetOpenIDConnectProvider",
        "iam:CreateOpenIDConnectProvider",
        "iam:TagOpenIDConnectProvider",
        "iam:AddClientIDToOpenIDConnectProvider",
      ],
      resources: scopes.oidcProvider,
    },
  ],

  async observe(ctx) {
    // The account's providers and the cluster's issuer are read side by side, then the one provider of the issuer.
    const [cluster, arns] = await Promise.all([
      readClusterOnce(ctx),
      ctx.read("iam:ListOpenIDConnectProviders", () => listOidcProviderArns(ctx.aws, ctx.cx)),
    ]);
    if (!cluster?.oidcIssuer) return { provider: null };
    return { provider: await findOidcProvider(ctx.aws, ctx.cx, cluster.oidcIssuer, arns) };
  },

  changes(facts, s) {
    const issuer = discoverFacts(facts).cluster?.oidcIssuer;
    if (!issuer) return [];
    const resource = `IAM OIDC provider ${oidcIssuerHost(issuer)}`;
    const p = factsOf(facts, oidcProviderStep)?.provider ?? null;
    if (!p) {
      const tags = managedTags(s.name);
      return [
        change("oidc-provider", "provider", {
          action: "create",
          call: "iam:CreateOpenIDConnectProvider",
          resource,
          reason: "no provider for the cluster's issuer in this account",
          document: json({ Url: issuer, ClientIDList: [STS_AUDIENCE], Tags: toTagList(tags) }),
          language: "json",
          needs: ["iam:CreateOpenIDConnectProvider", "iam:TagOpenIDConnectProvider"],
          async execute(ctx) {
            try {
              const created = await createOidcProvider(ctx.aws, ctx.cx, issuer, STS_AUDIENCE, tags);
              return {
                output: { oidcProviderArn: created.arn },
                requestId: created.requestId,
                message: `created IAM OIDC provider ${created.arn} (audience ${STS_AUDIENCE})`,
              };
            } catch (err) {
              // Two consoles racing for the one provider per issuer: the other one's is as good as ours.
              if (!(err instanceof AwsCallError && err.code === "EntityAlreadyExistsException")) throw err;
              const theirs = await findOidcProvider(ctx.aws, ctx.cx, issuer);
              if (!theirs?.clientIds.includes(STS_AUDIENCE)) throw err;
              return { output: { oidcProviderArn: theirs.arn }, message: `IAM OIDC provider ${theirs.arn} was created meanwhile: used as is` };
            }
          },
          cli: (w) =>
            w.command("aws", "iam", "create-open-id-connect-provider", "--url", issuer, "--client-id-list", STS_AUDIENCE, "--tags", ...tagArgs(tags)),
        }),
      ];
    }
    if (!p.clientIds.includes(STS_AUDIENCE))
      return [
        change("oidc-provider", "audience", {
          action: "update",
          call: "iam:AddClientIDToOpenIDConnectProvider",
          resource,
          reason: `the provider's audiences (${p.clientIds.join(", ") || "none"}) lack ${STS_AUDIENCE}`,
          document: json({ OpenIDConnectProviderArn: p.arn, ClientID: STS_AUDIENCE }),
          language: "json",
          needs: ["iam:AddClientIDToOpenIDConnectProvider"],
          async execute(ctx) {
            const res = await addOidcClientId(ctx.aws, ctx.cx, p.arn, STS_AUDIENCE);
            return { output: { oidcProviderArn: p.arn }, requestId: res.requestId, message: `added audience ${STS_AUDIENCE} to ${p.arn}` };
          },
          cli: (w) =>
            w.command("aws", "iam", "add-client-id-to-open-id-connect-provider", "--open-id-connect-provider-arn", p.arn, "--client-id", STS_AUDIENCE),
        }),
      ];
    return [
      change("oidc-provider", "provider", {
        action: "unchanged",
        call: "iam:CreateOpenIDConnectProvider",
        resource,
        reason: `exists with audience ${STS_AUDIENCE}`,
        needs: ["iam:GetOpenIDConnectProvider"],
      }),
    ];
  },
};

/** The provider's ARN: the one that exists, or the one IAM will give it (deterministic), or null without an issuer. */
export function providerArnOf(facts: Facts): string | null {
  const existing = factsOf(facts, oidcProviderStep)?.provider?.arn;
  if (existing) return existing;
  const issuer = discoverFacts(facts).cluster?.oidcIssuer;
  const id = identityFacts(facts);
  return issuer && id ? oidcProviderArn(id.partition, id.accountId, issuer) : null;
}
