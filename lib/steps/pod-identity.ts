import "server-only";
// Step `pod-identity` (EKS Pod Identity, the alternative to IRSA that eksctl and the terraform-aws-modules IAM
// module recommend for new clusters): the `eks-pod-identity-agent` add-on, and one pod identity association per
// Studio service account handing it its role. The roles' trust names the `pods.eks.amazonaws.com` principal
// (lib/policies/trust-policy.ts); the service accounts carry no role annotation (lib/helm).
import {
  createAddon,
  createAssociation,
  readAddon,
  readAssociations,
  updateAssociationRole,
  type ObservedAddon,
  type ObservedAssociation,
} from "../aws/eks";
import { managedTags } from "../aws/tags";
import type { EnvironmentSettings } from "../config/environment";
import { scopes } from "../policies/scopes";
import { change, json } from "./change";
import { discoverFacts, readClusterOnce } from "./discover";
import { roleArnOf, roleServiceAccounts } from "./role-step";
import type { Change, Facts, Step } from "./types";

export const POD_IDENTITY_AGENT = "eks-pod-identity-agent";

export interface PodIdentityFacts {
  addon: ObservedAddon | null;
  associations: ObservedAssociation[];
}

/** Each Studio service account with the role it must be handed. */
function wanted(s: EnvironmentSettings, facts: Facts) {
  return (["rds", "s3"] as const).flatMap((kind) =>
    roleServiceAccounts(s, kind).map((serviceAccount) => ({ serviceAccount, roleArn: roleArnOf(facts, s, kind) })),
  );
}

function podIdentityChanges(facts: Facts, s: EnvironmentSettings): Change[] {
  const seen = facts["pod-identity"] as PodIdentityFacts | undefined;
  if (!seen || !discoverFacts(facts).cluster) return [];
  const cluster = s.clusterName;
  const tags = managedTags(s.name);
  const addonActive = seen.addon?.status === "ACTIVE";
  const out: Change[] = [
    change("pod-identity", "agent", {
      action: seen.addon ? "unchanged" : "create",
      call: "eks:CreateAddon",
      resource: `EKS add-on ${POD_IDENTITY_AGENT} of cluster ${cluster}`,
      reason: seen.addon
        ? `installed (${seen.addon.status}${seen.addon.version ? `, ${seen.addon.version}` : ""})`
        : "the agent hands pods their role's credentials: without it no association takes effect (or install it yourself: aws eks create-addon)",
      document: json({ clusterName: cluster, addonName: POD_IDENTITY_AGENT, tags }),
      language: "json",
      needs: ["eks:CreateAddon", "eks:TagResource"],
      ...(seen.addon && !addonActive
        ? { warnings: [`add-on ${POD_IDENTITY_AGENT} is ${seen.addon.status}: pods get no credentials until it is ACTIVE`] }
        : {}),
      ...(!seen.addon && {
        async execute(ctx) {
          const r = await createAddon(ctx.aws, ctx.cx, cluster, POD_IDENTITY_AGENT, tags);
          return { requestId: r.requestId, message: `installed EKS add-on ${POD_IDENTITY_AGENT} on ${cluster} (${r.status})` };
        },
        cli: (w) => w.command("aws", "eks", "create-addon", "--cluster-name", cluster, "--addon-name", POD_IDENTITY_AGENT),
      }),
    }),
  ];
  for (const { serviceAccount, roleArn } of wanted(s, facts)) {
    const current = seen.associations.find((a) => a.namespace === s.namespace && a.serviceAccount === serviceAccount);
    const resource = `pod identity association ${s.namespace}/${serviceAccount}`;
    const request = current
      ? { clusterName: cluster, associationId: current.associationId, roleArn }
      : { clusterName: cluster, namespace: s.namespace, serviceAccount, roleArn, tags };
    const same = current?.roleArn === roleArn;
    out.push(
      change("pod-identity", `association:${serviceAccount}`, {
        action: !current ? "create" : same ? "unchanged" : "update",
        call: current ? "eks:UpdatePodIdentityAssociation" : "eks:CreatePodIdentityAssociation",
        resource,
        reason: !current ? `hands ${serviceAccount} the role ${roleArn}` : same ? "hands the right role" : `hands ${current.roleArn}, not ${roleArn}`,
        document: roleArn ? json(request) : undefined,
        language: "json",
        needs: current ? ["eks:UpdatePodIdentityAssociation", "iam:PassRole"] : ["eks:CreatePodIdentityAssociation", "eks:TagResource", "iam:PassRole"],
        ...(!same &&
          roleArn && {
            async execute(ctx) {
              if (current) {
                const r = await updateAssociationRole(ctx.aws, ctx.cx, cluster, current.associationId, roleArn);
                return { requestId: r.requestId, message: `${resource} now hands ${roleArn} (was ${current.roleArn})` };
              }
              const r = await createAssociation(ctx.aws, ctx.cx, { cluster, namespace: s.namespace, serviceAccount, roleArn, tags });
              return { output: { associationId: r.associationId }, requestId: r.requestId, message: `created ${resource} for ${roleArn}` };
            },
            cli: (w) =>
              current
                ? w.command("aws", "eks", "update-pod-identity-association", "--cluster-name", cluster, "--association-id", current.associationId, "--role-arn", roleArn)
                : w.command("aws", "eks", "create-pod-identity-association", "--cluster-name", cluster, "--namespace", s.namespace, "--service-account", serviceAccount, "--role-arn", roleArn),
          }),
      }),
    );
  }
  return out;
}

export const podIdentityStep: Step<PodIdentityFacts> = {
  key: "pod-identity",
  title: "Associate Studio's service accounts with their roles (EKS Pod Identity)",
  dependsOn: ["discover", "rds-role", "s3-role"],
  permissions: [
    { actions: ["eks:DescribeAddon"], resources: scopes.addon(POD_IDENTITY_AGENT) },
    { actions: ["eks:CreateAddon", "eks:ListPodIdentityAssociations", "eks:CreatePodIdentityAssociation", "eks:TagResource"], resources: scopes.cluster },
    { actions: ["eks:DescribePodIdentityAssociation", "eks:UpdatePodIdentityAssociation", "eks:TagResource"], resources: scopes.podIdentityAssociation },
    // EKS hands the role to pods on the association's behalf: it may only do so for roles the caller may pass.
    { actions: ["iam:PassRole"], resources: scopes.roles },
  ],
  async observe(ctx) {
    const cluster = await readClusterOnce(ctx);
    if (!cluster) return { addon: null, associations: [] };
    const [addon, associations] = await Promise.all([
      readAddon(ctx.aws, ctx.cx, cluster.name, POD_IDENTITY_AGENT),
      readAssociations(ctx.aws, ctx.cx, cluster.name, ctx.settings.namespace),
    ]);
    return { addon, associations };
  },
  changes: podIdentityChanges,
};
