import "server-only";
// EKS access entries of the console's own principal: the cluster's authentication mode, the entry and the access
// policies associated with it (reads), and the two writes the eks-access step makes.
import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  ListAssociatedAccessPoliciesCommand,
  type AssociateAccessPolicyCommandInput,
  type CreateAccessEntryCommandInput,
} from "@aws-sdk/client-eks";
import type { ObservedAccess } from "@/lib/k8s/access-entry";
import { awsCall, awsFind, type AwsCallContext } from "./call";
import type { AwsClients } from "./clients";

/** What the cluster says about the console's access (null: no such cluster). */
export async function readConsoleAccess(c: AwsClients, cx: AwsCallContext, clusterName: string, principalArn: string): Promise<ObservedAccess | null> {
  const cluster = await awsFind(cx, "eks:DescribeCluster", (o) => c.eks.send(new DescribeClusterCommand({ name: clusterName }), o));
  if (!cluster?.cluster) return null;
  const authenticationMode = cluster.cluster.accessConfig?.authenticationMode;
  if (authenticationMode === "CONFIG_MAP") return { authenticationMode, entry: null, associated: [] };
  const entry = await awsFind(cx, "eks:DescribeAccessEntry", (o) => c.eks.send(new DescribeAccessEntryCommand({ clusterName, principalArn }), o));
  if (!entry?.accessEntry) return { authenticationMode, entry: null, associated: [] };
  const associated: ObservedAccess["associated"] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall(cx, "eks:ListAssociatedAccessPolicies", (o) =>
      c.eks.send(new ListAssociatedAccessPoliciesCommand({ clusterName, principalArn, nextToken }), o),
    );
    for (const p of page.associatedAccessPolicies ?? [])
      if (p.policyArn) associated.push({ policyArn: p.policyArn, accessScope: p.accessScope ? { type: p.accessScope.type, namespaces: p.accessScope.namespaces ?? [] } : undefined });
    nextToken = page.nextToken;
  } while (nextToken);
  associated.sort((a, b) => a.policyArn.localeCompare(b.policyArn));
  return { authenticationMode, entry: { type: entry.accessEntry.type }, associated };
}

export async function createAccessEntry(c: AwsClients, cx: AwsCallContext, input: CreateAccessEntryCommandInput) {
  const res = await awsCall(cx, "eks:CreateAccessEntry", (o) => c.eks.send(new CreateAccessEntryCommand(input), o));
  return { requestId: res.$metadata.requestId };
}

export async function associateAccessPolicy(c: AwsClients, cx: AwsCallContext, input: AssociateAccessPolicyCommandInput) {
  const res = await awsCall(cx, "eks:AssociateAccessPolicy", (o) => c.eks.send(new AssociateAccessPolicyCommand(input), o));
  return { requestId: res.$metadata.requestId };
}
