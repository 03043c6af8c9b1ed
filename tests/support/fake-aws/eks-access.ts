// EKS access entries (the console's own access to the cluster): CreateAccessEntry, DescribeAccessEntry,
// AssociateAccessPolicy (replaces the scope of a policy already associated, as EKS does) and
// ListAssociatedAccessPolicies. Kept on the cluster as `accessEntries`, by principal ARN.
import type {
  AssociateAccessPolicyCommandInput,
  AssociateAccessPolicyCommandOutput,
  CreateAccessEntryCommandInput,
  CreateAccessEntryCommandOutput,
  DescribeAccessEntryCommandInput,
  DescribeAccessEntryCommandOutput,
  ListAssociatedAccessPoliciesCommandInput,
  ListAssociatedAccessPoliciesCommandOutput,
} from "@aws-sdk/client-eks";
import type { Answer, CallContext, Handlers } from "./context";
import { regional, type FakeAccessEntry, type FakeCluster } from "./state";

function cluster(cx: CallContext, name: string | undefined): FakeCluster {
  const c = name ? regional(cx.state, cx.region).clusters[name] : undefined;
  if (!c) throw cx.error("ResourceNotFoundException", `No cluster found for name: ${name}.`, { clusterName: name });
  return c;
}

function entry(cx: CallContext, c: FakeCluster, principalArn: string | undefined): FakeAccessEntry {
  const e = principalArn ? c.accessEntries?.[principalArn] : undefined;
  if (!e) throw cx.error("ResourceNotFoundException", `The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.`, { clusterName: c.name });
  return e;
}

const entryView = (cx: CallContext, c: FakeCluster, e: FakeAccessEntry) => ({
  clusterName: c.name,
  principalArn: e.principalArn,
  type: e.type,
  username: e.principalArn,
  kubernetesGroups: [],
  accessEntryArn: `arn:${cx.partition}:eks:${cx.region}:${cx.accountId}:access-entry/${c.name}/${e.principalArn.split(":").pop()}`,
  createdAt: new Date(e.createdAt),
  modifiedAt: new Date(e.createdAt),
  tags: { ...e.tags },
});

export const eksAccessHandlers: Handlers = {
  CreateAccessEntry: (input: CreateAccessEntryCommandInput, cx: CallContext): Answer<CreateAccessEntryCommandOutput> => {
    const c = cluster(cx, input.clusterName);
    if (!input.principalArn?.includes(":iam::"))
      throw cx.error("InvalidParameterException", "The principalArn parameter format is not valid", { clusterName: c.name });
    c.accessEntries ??= {};
    if (c.accessEntries[input.principalArn]) throw cx.error("ResourceInUseException", "The specified access entry resource is already in use on this cluster.", { clusterName: c.name });
    c.accessEntries[input.principalArn] = { principalArn: input.principalArn, type: input.type ?? "STANDARD", createdAt: cx.now(), tags: { ...input.tags }, policies: [] };
    return { accessEntry: entryView(cx, c, c.accessEntries[input.principalArn]) };
  },

  DescribeAccessEntry: (input: DescribeAccessEntryCommandInput, cx: CallContext): Answer<DescribeAccessEntryCommandOutput> => {
    const c = cluster(cx, input.clusterName);
    return { accessEntry: entryView(cx, c, entry(cx, c, input.principalArn)) };
  },

  AssociateAccessPolicy: (input: AssociateAccessPolicyCommandInput, cx: CallContext): Answer<AssociateAccessPolicyCommandOutput> => {
    const c = cluster(cx, input.clusterName);
    const e = entry(cx, c, input.principalArn);
    if (!input.policyArn || !input.accessScope?.type) throw cx.error("InvalidParameterException", "policyArn and accessScope are required", { clusterName: c.name });
    const now = cx.now();
    const scope = { type: input.accessScope.type, namespaces: [...(input.accessScope.namespaces ?? [])] };
    const existing = e.policies.find((p) => p.policyArn === input.policyArn);
    if (existing) Object.assign(existing, { accessScope: scope, modifiedAt: now });
    else e.policies.push({ policyArn: input.policyArn, accessScope: scope, associatedAt: now, modifiedAt: now });
    const p = e.policies.find((x) => x.policyArn === input.policyArn)!;
    return {
      clusterName: c.name,
      principalArn: e.principalArn,
      associatedAccessPolicy: { policyArn: p.policyArn, accessScope: p.accessScope as never, associatedAt: new Date(p.associatedAt), modifiedAt: new Date(p.modifiedAt) },
    };
  },

  ListAssociatedAccessPolicies: (input: ListAssociatedAccessPoliciesCommandInput, cx: CallContext): Answer<ListAssociatedAccessPoliciesCommandOutput> => {
    const c = cluster(cx, input.clusterName);
    const e = entry(cx, c, input.principalArn);
    return {
      clusterName: c.name,
      principalArn: e.principalArn,
      associatedAccessPolicies: e.policies.map((p) => ({
        policyArn: p.policyArn,
        accessScope: p.accessScope as never,
        associatedAt: new Date(p.associatedAt),
        modifiedAt: new Date(p.modifiedAt),
      })),
    };
  },
};
