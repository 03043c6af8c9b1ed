// STS and EKS answers: who the caller is; the cluster with its OIDC issuer and ARN, its add-ons (the EKS Pod
// Identity agent) and its pod identity associations, with EKS's error codes and messages.
import type {
  CreateAddonCommandInput,
  CreateAddonCommandOutput,
  CreatePodIdentityAssociationCommandInput,
  CreatePodIdentityAssociationCommandOutput,
  DeletePodIdentityAssociationCommandInput,
  DeletePodIdentityAssociationCommandOutput,
  DescribeAddonCommandInput,
  DescribeAddonCommandOutput,
  DescribeClusterCommandInput,
  DescribeClusterCommandOutput,
  DescribePodIdentityAssociationCommandInput,
  DescribePodIdentityAssociationCommandOutput,
  ListClustersCommandOutput,
  ListPodIdentityAssociationsCommandInput,
  ListPodIdentityAssociationsCommandOutput,
  PodIdentityAssociation,
  UpdatePodIdentityAssociationCommandInput,
  UpdatePodIdentityAssociationCommandOutput,
} from "@aws-sdk/client-eks";
import type { GetCallerIdentityCommandOutput } from "@aws-sdk/client-sts";
import { asList, idFrom, parseDocument, statementsOf, type Answer, type CallContext, type Handlers } from "./context";
import { regional, type FakeAddon, type FakeAssociation, type FakeCluster } from "./state";

/** Add-ons EKS offers, with a current version (others are refused as EKS refuses an unknown name). */
const ADDON_VERSIONS: Record<string, string> = {
  "eks-pod-identity-agent": "v1.3.4-eksbuild.1",
  "vpc-cni": "v1.19.0-eksbuild.1",
  coredns: "v1.11.3-eksbuild.2",
  "kube-proxy": "v1.31.2-eksbuild.3",
  "aws-ebs-csi-driver": "v1.37.0-eksbuild.1",
};

export const stsHandlers: Handlers = {
  GetCallerIdentity: (_input: object, cx: CallContext): Answer<GetCallerIdentityCommandOutput> => ({
    UserId: "AIDAEXAMPLEPLATFORMADMIN",
    Account: cx.accountId,
    Arn: cx.callerArn,
  }),
};

function cluster(cx: CallContext, name: string | undefined): FakeCluster {
  const c = name ? regional(cx.state, cx.region).clusters[name] : undefined;
  if (!c) throw cx.error("ResourceNotFoundException", `No cluster found for name: ${name}.`, { clusterName: name });
  return c;
}

const clusterArn = (cx: CallContext, name: string) => `arn:${cx.partition}:eks:${cx.region}:${cx.accountId}:cluster/${name}`;

function addonView(cx: CallContext, c: FakeCluster, a: FakeAddon) {
  return {
    addonName: a.name,
    clusterName: c.name,
    status: a.status as "ACTIVE",
    addonVersion: a.version,
    health: { issues: [] },
    addonArn: `arn:${cx.partition}:eks:${cx.region}:${cx.accountId}:addon/${c.name}/${a.name}/${idFrom(`${c.name}/${a.name}/${a.createdAt}`, 8, "0123456789abcdef")}`,
    createdAt: new Date(a.createdAt),
    modifiedAt: new Date(a.modifiedAt),
    ...(a.serviceAccountRoleArn ? { serviceAccountRoleArn: a.serviceAccountRoleArn } : {}),
    ...(a.configurationValues ? { configurationValues: a.configurationValues } : {}),
    tags: { ...a.tags },
  };
}

function association(cx: CallContext, c: FakeCluster, id: string | undefined): FakeAssociation {
  const a = id ? c.associations?.[id] : undefined;
  if (!a) throw cx.error("ResourceNotFoundException", `Association not found: ${id}`, { clusterName: c.name });
  return a;
}

const associationArn = (cx: CallContext, c: FakeCluster, id: string) =>
  `arn:${cx.partition}:eks:${cx.region}:${cx.accountId}:podidentityassociation/${c.name}/${id}`;

function associationView(cx: CallContext, c: FakeCluster, a: FakeAssociation): PodIdentityAssociation {
  return {
    clusterName: c.name,
    namespace: a.namespace,
    serviceAccount: a.serviceAccount,
    roleArn: a.roleArn,
    associationArn: associationArn(cx, c, a.id),
    associationId: a.id,
    tags: { ...a.tags },
    createdAt: new Date(a.createdAt),
    modifiedAt: new Date(a.modifiedAt),
    disableSessionTags: a.disableSessionTags,
  };
}

/**
 * EKS checks the role when an association is made or changed: it must exist, and its trust must let
 * `pods.eks.amazonaws.com` call sts:AssumeRole and sts:TagSession.
 */
function checkPodIdentityRole(cx: CallContext, roleArn: string | undefined) {
  const role = Object.values(cx.state.roles).find((r) => r.arn === roleArn);
  if (!role) throw cx.error("InvalidParameterException", "Role provided in the request does not exist");
  const trust = parseDocument(cx, decodeURIComponent(role.trust), "InvalidParameterException", "Trust policy of the role provided is invalid");
  const ok = statementsOf(trust).some((s) => {
    const principal = s.Principal as { Service?: unknown } | undefined;
    const actions = asList(s.Action);
    return (
      s.Effect === "Allow" &&
      asList(principal?.Service).includes("pods.eks.amazonaws.com") &&
      ["sts:AssumeRole", "sts:TagSession"].every((a) => actions.includes(a) || actions.includes("sts:*"))
    );
  });
  if (!ok) throw cx.error("InvalidParameterException", "Trust policy of the role provided is invalid");
}

export const eksHandlers: Handlers = {
  ListClusters: (_input: object, cx: CallContext): Answer<ListClustersCommandOutput> => ({
    clusters: Object.keys(regional(cx.state, cx.region).clusters).sort(),
  }),

  DescribeCluster: ({ name }: DescribeClusterCommandInput, cx: CallContext): Answer<DescribeClusterCommandOutput> => {
    const c = cluster(cx, name);
    const id = c.issuer.split("/id/")[1] ?? "EXAMPLE";
    return {
      cluster: {
        name: c.name,
        arn: clusterArn(cx, c.name),
        createdAt: new Date(c.createdAt ?? cx.now()),
        version: c.version ?? "1.31",
        endpoint: `https://${id}.gr7.${cx.region}.eks.amazonaws.com`,
        roleArn: `arn:${cx.partition}:iam::${cx.accountId}:role/${c.name}-cluster-role`,
        identity: { oidc: { issuer: c.issuer } },
        status: "ACTIVE",
        platformVersion: "eks.12",
        accessConfig: { authenticationMode: (c.authenticationMode ?? "API_AND_CONFIG_MAP") as "API_AND_CONFIG_MAP" },
        tags: {},
      },
    };
  },

  DescribeAddon: ({ clusterName, addonName }: DescribeAddonCommandInput, cx: CallContext): Answer<DescribeAddonCommandOutput> => {
    const c = cluster(cx, clusterName);
    const a = addonName ? c.addons?.[addonName] : undefined;
    if (!a) throw cx.error("ResourceNotFoundException", `No addon: ${addonName} found in cluster: ${clusterName}`, { clusterName, addonName });
    // The agent's DaemonSet rolls out between CreateAddon and the next look: ACTIVE from then on.
    if (a.status === "CREATING") a.status = "ACTIVE";
    return { addon: addonView(cx, c, a) };
  },

  CreateAddon: (input: CreateAddonCommandInput, cx: CallContext): Answer<CreateAddonCommandOutput> => {
    const c = cluster(cx, input.clusterName);
    const name = input.addonName ?? "";
    const version = ADDON_VERSIONS[name];
    if (!version) throw cx.error("InvalidParameterException", `Addon ${name} specified is not supported in ${c.version ?? "1.31"} kubernetes version`, { clusterName: c.name, addonName: name });
    c.addons ??= {};
    if (c.addons[name]) throw cx.error("ResourceInUseException", "Addon already exists.", { clusterName: c.name, addonName: name });
    const now = cx.now();
    c.addons[name] = {
      name,
      version: input.addonVersion ?? version,
      status: "CREATING",
      createdAt: now,
      modifiedAt: now,
      serviceAccountRoleArn: input.serviceAccountRoleArn,
      configurationValues: input.configurationValues,
      tags: { ...input.tags },
    };
    return { addon: addonView(cx, c, c.addons[name]) };
  },

  ListPodIdentityAssociations: (input: ListPodIdentityAssociationsCommandInput, cx: CallContext): Answer<ListPodIdentityAssociationsCommandOutput> => {
    const c = cluster(cx, input.clusterName);
    const all = Object.values(c.associations ?? {})
      .filter((a) => (!input.namespace || a.namespace === input.namespace) && (!input.serviceAccount || a.serviceAccount === input.serviceAccount))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    const start = input.nextToken ? Number(input.nextToken) : 0;
    const size = input.maxResults ?? 100;
    const page = all.slice(start, start + size);
    return {
      associations: page.map((a) => ({
        clusterName: c.name,
        namespace: a.namespace,
        serviceAccount: a.serviceAccount,
        associationArn: associationArn(cx, c, a.id),
        associationId: a.id,
      })),
      ...(start + size < all.length ? { nextToken: String(start + size) } : {}),
    };
  },

  DescribePodIdentityAssociation: (input: DescribePodIdentityAssociationCommandInput, cx: CallContext): Answer<DescribePodIdentityAssociationCommandOutput> => {
    const c = cluster(cx, input.clusterName);
    return { association: associationView(cx, c, association(cx, c, input.associationId)) };
  },

  CreatePodIdentityAssociation: (input: CreatePodIdentityAssociationCommandInput, cx: CallContext): Answer<CreatePodIdentityAssociationCommandOutput> => {
    const c = cluster(cx, input.clusterName);
    for (const k of ["namespace", "serviceAccount", "roleArn"] as const)
      if (!input[k]) throw cx.error("InvalidParameterException", `${k} must not be empty`, { clusterName: c.name });
    c.associations ??= {};
    const existing = Object.values(c.associations).find((a) => a.namespace === input.namespace && a.serviceAccount === input.serviceAccount);
    if (existing) throw cx.error("ResourceInUseException", `Association already exists: ${existing.id}`, { clusterName: c.name });
    checkPodIdentityRole(cx, input.roleArn);
    const now = cx.now();
    const id = `a-${idFrom(`${c.name}/${input.namespace}/${input.serviceAccount}/${cx.state.seq}`, 17)}`;
    c.associations[id] = {
      id,
      namespace: input.namespace!,
      serviceAccount: input.serviceAccount!,
      roleArn: input.roleArn!,
      createdAt: now,
      modifiedAt: now,
      tags: { ...input.tags },
      disableSessionTags: input.disableSessionTags ?? false,
    };
    return { association: associationView(cx, c, c.associations[id]) };
  },

  UpdatePodIdentityAssociation: (input: UpdatePodIdentityAssociationCommandInput, cx: CallContext): Answer<UpdatePodIdentityAssociationCommandOutput> => {
    const c = cluster(cx, input.clusterName);
    const a = association(cx, c, input.associationId);
    if (input.roleArn !== undefined) {
      checkPodIdentityRole(cx, input.roleArn);
      a.roleArn = input.roleArn;
    }
    if (input.disableSessionTags !== undefined) a.disableSessionTags = input.disableSessionTags;
    a.modifiedAt = cx.now();
    return { association: associationView(cx, c, a) };
  },

  DeletePodIdentityAssociation: (input: DeletePodIdentityAssociationCommandInput, cx: CallContext): Answer<DeletePodIdentityAssociationCommandOutput> => {
    const c = cluster(cx, input.clusterName);
    const a = association(cx, c, input.associationId);
    delete c.associations![a.id];
    return { association: associationView(cx, c, a) };
  },
};
