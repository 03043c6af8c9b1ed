import "server-only";
// Teardown step `teardown-pod-identity`: the pod identity associations of the environment's namespace that the
// console created for this environment (their tags). They go before the roles they hand out. The Pod Identity
// agent add-on is kept: other workloads of the cluster may rely on it.
import { deleteAssociation, readAssociations, type ObservedAssociation } from "../aws/eks";
import { scopes } from "../policies/scopes";
import { change, json } from "../steps/change";
import { readClusterOnce } from "../steps/discover";
import type { Change, Facts, Step } from "../steps/types";
import type { EnvironmentSettings } from "../config/environment";
import { alreadyGone, kept, notOursReason, removable } from "./kept";

const KEY = "teardown-pod-identity";

export interface TeardownPodIdentityFacts {
  /** Null when the cluster was not found. */
  associations: ObservedAssociation[] | null;
}

function rows(facts: Facts, s: EnvironmentSettings): Change[] {
  const seen = facts[KEY] as TeardownPodIdentityFacts | undefined;
  return (seen?.associations ?? []).map((a) => {
    const resource = `pod identity association ${a.namespace}/${a.serviceAccount} (${a.associationId})`;
    if (!removable(a.tags, s.name)) return kept(KEY, `association:${a.associationId}`, "eks:DeletePodIdentityAssociation", resource, notOursReason(a.tags));
    return change(KEY, `association:${a.associationId}`, {
      action: "delete",
      call: "eks:DeletePodIdentityAssociation",
      resource,
      reason: `created by the console for ${s.name} (tags); hands out ${a.roleArn}`,
      document: json({ clusterName: s.clusterName, associationId: a.associationId }),
      language: "json",
      needs: ["eks:DeletePodIdentityAssociation"],
      after: [],
      async execute(ctx) {
        const r = await deleteAssociation(ctx.aws, ctx.cx, s.clusterName, a.associationId);
        return { requestId: r.requestId, message: r.gone ? alreadyGone(resource) : `deleted ${resource}` };
      },
      cli: (w) => w.command("aws", "eks", "delete-pod-identity-association", "--cluster-name", s.clusterName, "--association-id", a.associationId),
    });
  });
}

export const teardownPodIdentityStep: Step<TeardownPodIdentityFacts> = {
  key: KEY,
  title: "Delete the pod identity associations the console created",
  dependsOn: ["discover"],
  // Like the apply's pod-identity step: an IRSA environment made no associations (and the call is not asked of
  // accounts, or emulators, that never use Pod Identity).
  appliesTo: (s) => s.identityMode === "pod-identity",
  permissions: [
    { actions: ["eks:ListPodIdentityAssociations"], resources: scopes.cluster },
    { actions: ["eks:DescribePodIdentityAssociation", "eks:DeletePodIdentityAssociation"], resources: scopes.podIdentityAssociation },
  ],
  async observe(ctx) {
    const cluster = await readClusterOnce(ctx);
    if (!cluster) return { associations: null };
    return { associations: await readAssociations(ctx.aws, ctx.cx, cluster.name, ctx.settings.namespace) };
  },
  changes: rows,
};
