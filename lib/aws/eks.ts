import "server-only";
// EKS: the cluster (its OIDC issuer names the identity provider IRSA trusts; its ARN scopes Pod Identity trust),
// the Pod Identity agent add-on and the pod identity associations.
import {
  CreateAddonCommand,
  CreatePodIdentityAssociationCommand,
  DeletePodIdentityAssociationCommand,
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  ListPodIdentityAssociationsCommand,
  UpdatePodIdentityAssociationCommand,
} from "@aws-sdk/client-eks";
import { awsCall, awsFind, type AwsCallContext } from "./call";
import type { AwsClients } from "./clients";

export interface ObservedCluster {
  name: string;
  arn: string;
  /** Empty when the cluster has no OIDC issuer (never for EKS 1.16+). */
  oidcIssuer: string;
  status?: string;
}

export async function readCluster(c: AwsClients, cx: AwsCallContext, name: string): Promise<ObservedCluster | null> {
  const res = await awsFind(cx, "eks:DescribeCluster", (o) => c.eks.send(new DescribeClusterCommand({ name }), o));
  if (!res?.cluster) return null;
  return { name, arn: res.cluster.arn ?? "", oidcIssuer: res.cluster.identity?.oidc?.issuer ?? "", status: res.cluster.status };
}

export interface ObservedAddon {
  name: string;
  status: string;
  version: string | null;
}

export async function readAddon(c: AwsClients, cx: AwsCallContext, cluster: string, addon: string): Promise<ObservedAddon | null> {
  const res = await awsFind(cx, "eks:DescribeAddon", (o) =>
    c.eks.send(new DescribeAddonCommand({ clusterName: cluster, addonName: addon }), o),
  );
  if (!res?.addon) return null;
  return { name: addon, status: res.addon.status ?? "UNKNOWN", version: res.addon.addonVersion ?? null };
}

export async function createAddon(c: AwsClients, cx: AwsCallContext, cluster: string, addon: string, tags: Record<string, string>) {
  const res = await awsCall(cx, "eks:CreateAddon", (o) =>
    c.eks.send(new CreateAddonCommand({ clusterName: cluster, addonName: addon, tags }), o),
  );
  return { requestId: res.$metadata.requestId, status: res.addon?.status ?? "CREATING" };
}

export interface ObservedAssociation {
  associationId: string;
  associationArn: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  tags: Record<string, string>;
}

/** Every pod identity association of the namespace, with the role each one hands out. */
export async function readAssociations(
  c: AwsClients,
  cx: AwsCallContext,
  cluster: string,
  namespace: string,
): Promise<ObservedAssociation[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall(cx, "eks:ListPodIdentityAssociations", (o) =>
      c.eks.send(new ListPodIdentityAssociationsCommand({ clusterName: cluster, namespace, nextToken }), o),
    );
    for (const a of page.associations ?? []) if (a.associationId) ids.push(a.associationId);
    nextToken = page.nextToken;
  } while (nextToken);
  // The list does not carry the role: each association is described (in parallel).
  const found = await Promise.all(
    ids.map((associationId) =>
      awsFind(cx, "eks:DescribePodIdentityAssociation", (o) =>
        c.eks.send(new DescribePodIdentityAssociationCommand({ clusterName: cluster, associationId }), o),
      ),
    ),
  );
  return found
    .flatMap((r) => (r?.association ? [r.association] : []))
    .map((a) => ({
      associationId: a.associationId ?? "",
      associationArn: a.associationArn ?? "",
      namespace: a.namespace ?? "",
      serviceAccount: a.serviceAccount ?? "",
      roleArn: a.roleArn ?? "",
      tags: { ...(a.tags ?? {}) },
    }))
    .sort((a, b) => a.serviceAccount.localeCompare(b.serviceAccount));
}

export async function createAssociation(
  c: AwsClients,
  cx: AwsCallContext,
  input: { cluster: string; namespace: string; serviceAccount: string; roleArn: string; tags: Record<string, string> },
) {
  const res = await awsCall(cx, "eks:CreatePodIdentityAssociation", (o) =>
    c.eks.send(
      new CreatePodIdentityAssociationCommand({
        clusterName: input.cluster,
        namespace: input.namespace,
        serviceAccount: input.serviceAccount,
        roleArn: input.roleArn,
        tags: input.tags,
      }),
      o,
    ),
  );
  return { requestId: res.$metadata.requestId, associationId: res.association?.associationId ?? "" };
}

export async function updateAssociationRole(c: AwsClients, cx: AwsCallContext, cluster: string, associationId: string, roleArn: string) {
  const res = await awsCall(cx, "eks:UpdatePodIdentityAssociation", (o) =>
    c.eks.send(new UpdatePodIdentityAssociationCommand({ clusterName: cluster, associationId, roleArn }), o),
  );
  return { requestId: res.$metadata.requestId };
}

/** Deletes an association; `gone` when it was already deleted. */
export async function deleteAssociation(c: AwsClients, cx: AwsCallContext, cluster: string, associationId: string) {
  const res = await awsFind(cx, "eks:DeletePodIdentityAssociation", (o) =>
    c.eks.send(new DeletePodIdentityAssociationCommand({ clusterName: cluster, associationId }), o),
  );
  return res ? { requestId: res.$metadata.requestId, gone: false } : { gone: true };
}
