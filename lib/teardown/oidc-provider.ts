import "server-only";
// Teardown step `teardown-oidc-provider` (IRSA): the IAM OIDC provider of the cluster's issuer, only when the
// console created it for this environment (its tags) and no other role of the account trusts it. IAM allows one
// provider per issuer per account, so every IRSA role of the cluster (other environments', other teams') trusts
// this one provider: the account's roles are listed and their trust policies searched for its ARN. It goes after
// the roles, so this environment's own roles do not count.
import { deleteOidcProvider, findOidcProvider, listOidcProviderArns, listRolesWithTrust, readOidcProvider, type ObservedOidcProvider } from "../aws/iam";
import type { AwsCallContext } from "../aws/call";
import type { AwsClients } from "../aws/clients";
import { oidcIssuerHost } from "../policies/arn";
import { noResource, scopes } from "../policies/scopes";
import { change, json } from "../steps/change";
import { readClusterOnce } from "../steps/discover";
import type { Change, Facts, Step } from "../steps/types";
import type { EnvironmentSettings } from "../config/environment";
import { alreadyGone, kept, notOursReason, removable } from "./kept";
import { rolesToDelete } from "./roles";

const KEY = "teardown-oidc-provider";
/** How many of the roles that keep a provider the plan names. */
const NAMED = 5;
/** Without the cluster, how many EKS providers of the account are read looking for this environment's. */
const MAX_PROVIDERS_READ = 50;

export interface TeardownOidcFacts {
  provider: ObservedOidcProvider | null;
  /** Roles of the account whose trust policy names the provider (read only for the console's own provider). */
  trustedBy: string[];
}

function rows(facts: Facts, s: EnvironmentSettings): Change[] {
  const seen = facts[KEY] as TeardownOidcFacts | undefined;
  const p = seen?.provider;
  if (!p) return [];
  const resource = `IAM OIDC provider ${oidcIssuerHost(p.url.startsWith("https://") ? p.url : `https://${p.url}`)}`;
  if (!removable(p.tags, s.name)) return [kept(KEY, "provider", "iam:DeleteOpenIDConnectProvider", resource, notOursReason(p.tags))];
  const ours = new Set(rolesToDelete(facts, s).map((r) => r.name));
  const others = seen.trustedBy.filter((name) => !ours.has(name));
  if (others.length)
    return [
      kept(
        KEY,
        "provider",
        "iam:DeleteOpenIDConnectProvider",
        resource,
        `kept: used by role${others.length === 1 ? "" : "s"} ${others.slice(0, NAMED).join(", ")}${others.length > NAMED ? ` and ${others.length - NAMED} more` : ""} (their trust policies name it)`,
      ),
    ];
  return [
    change(KEY, "provider", {
      action: "delete",
      call: "iam:DeleteOpenIDConnectProvider",
      resource,
      reason: `created by the console for ${s.name} (tags); no other role of the account trusts it`,
      document: json({ OpenIDConnectProviderArn: p.arn }),
      language: "json",
      needs: ["iam:DeleteOpenIDConnectProvider"],
      async execute(ctx) {
        const r = await deleteOidcProvider(ctx.aws, ctx.cx, p.arn);
        return { requestId: r.requestId, message: r.gone ? alreadyGone(resource) : `deleted ${p.arn}` };
      },
      cli: (w) => w.command("aws", "iam", "delete-open-id-connect-provider", "--open-id-connect-provider-arn", p.arn),
    }),
  ];
}

/**
 * The cluster is gone (an abandoned trial): its issuer is unknown, so the account's providers are read one by one
 * for the one tagged for this environment (EKS issuers live under oidc.eks.…; at most a bounded number are read).
 */
async function taggedProvider(c: AwsClients, cx: AwsCallContext, arns: string[], environmentName: string): Promise<ObservedOidcProvider | null> {
  for (const arn of arns.filter((a) => a.includes(":oidc-provider/oidc.eks.")).slice(0, MAX_PROVIDERS_READ)) {
    const p = await readOidcProvider(c, cx, arn);
    if (p && removable(p.tags, environmentName)) return p;
  }
  return null;
}

export const teardownOidcProviderStep: Step<TeardownOidcFacts> = {
  key: KEY,
  title: "Delete the OIDC provider the console created, when no other role uses it",
  dependsOn: ["discover", "teardown-roles"],
  readsAfter: ["teardown-roles"],
  permissions: [
    { actions: ["iam:ListOpenIDConnectProviders", "iam:ListRoles"], resources: noResource },
    { actions: ["iam:GetOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider"], resources: scopes.oidcProvider },
  ],
  async observe(ctx) {
    const cluster = await readClusterOnce(ctx);
    const arns = await ctx.read("iam:ListOpenIDConnectProviders", () => listOidcProviderArns(ctx.aws, ctx.cx));
    const provider = cluster?.oidcIssuer
      ? await findOidcProvider(ctx.aws, ctx.cx, cluster.oidcIssuer, arns)
      : await taggedProvider(ctx.aws, ctx.cx, arns, ctx.settings.name);
    // Listing every role is only worth it for a provider the teardown might delete.
    if (!provider || !removable(provider.tags, ctx.settings.name)) return { provider, trustedBy: [] };
    const roles = await listRolesWithTrust(ctx.aws, ctx.cx);
    const trustedBy = roles.filter((r) => JSON.stringify(r.trustPolicy ?? null).includes(provider.arn)).map((r) => r.name).sort();
    return { provider, trustedBy };
  },
  changes: rows,
};
