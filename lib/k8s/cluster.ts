import "server-only";
// Reaching Studio's cluster. The EKS way needs nothing new from the admin: endpoint and CA from DescribeCluster,
// a bearer token signed from the console's own AWS identity (./eks-token). A kubeconfig file (and context) is
// the alternative for clusters reached otherwise (a proxy, another authenticator). Cluster access is optional
// (chosen per environment; lib/cluster-runs/connect.ts picks the way): nothing else in the console depends on it.
import {
  AppsV1Api,
  AuthorizationV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  type User,
} from "@kubernetes/client-node";
import { DescribeClusterCommand } from "@aws-sdk/client-eks";
import { awsCall, type AwsCallContext } from "@/lib/aws/call";
import { awsClients } from "@/lib/aws/clients";
import { eksTokenSource } from "./eks-token";

export interface ClusterConnection {
  /** How the console reached the cluster, for the page to say. */
  source: "eks" | "kubeconfig";
  /** The API server URL (no credentials in it). */
  server: string;
  /** The kubeconfig context's namespace, when one is set. */
  contextNamespace?: string;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  authz: AuthorizationV1Api;
}

/** What DescribeCluster says about reaching the API server. */
export interface EksEndpoint {
  clusterName: string;
  region: string;
  /** `https://<id>.<gr7>.<region>.eks.amazonaws.com` */
  endpoint: string;
  /** The cluster CA: base64 of PEM, exactly as DescribeCluster returns it (and kubeconfig stores it). */
  certificateAuthorityData: string;
  /** `API`, `API_AND_CONFIG_MAP` or `CONFIG_MAP`: access entries need one of the first two. */
  authenticationMode?: string;
  /** False when the endpoint is private: the console must run inside the VPC (or via a proxy kubeconfig). */
  endpointPublicAccess?: boolean;
}

/** Reads endpoint, CA and access mode of the cluster (eks:DescribeCluster). */
export async function describeEksEndpoint(region: string, clusterName: string, cx: AwsCallContext = {}): Promise<EksEndpoint> {
  const res = await awsCall(cx, "eks:DescribeCluster", (o) => awsClients(region).eks.send(new DescribeClusterCommand({ name: clusterName }), o));
  const c = res.cluster;
  if (!c?.endpoint || !c.certificateAuthority?.data)
    throw new Error(`EKS cluster ${clusterName} has no API endpoint or CA yet (status ${c?.status ?? "unknown"}): wait until it is ACTIVE`);
  return {
    clusterName,
    region,
    endpoint: c.endpoint,
    certificateAuthorityData: c.certificateAuthority.data,
    authenticationMode: c.accessConfig?.authenticationMode,
    endpointPublicAccess: c.resourcesVpcConfig?.endpointPublicAccess,
  };
}

/** Marks the kubeconfig user whose token the console signs itself. */
const EKS_TOKEN_AUTH = "studio-console-eks-token";

/** The library's authenticator interface (not exported from its index): `KubeConfig.addAuthenticator` takes it. */
type Authenticator = Parameters<KubeConfig["addAuthenticator"]>[0];

/** Puts a freshly signed bearer token on every request (the token lives 15 minutes; the source renews it). */
class BearerTokenAuthenticator implements Authenticator {
  constructor(private readonly token: () => Promise<string>) {}
  isAuthProvider(user: User): boolean {
    return user.authProvider?.name === EKS_TOKEN_AUTH;
  }
  async applyAuthentication(_user: User, opts: { headers?: Record<string, unknown> }): Promise<void> {
    opts.headers ??= {};
    opts.headers.Authorization = `Bearer ${await this.token()}`;
  }
}

/**
 * A connection to an EKS cluster with the console's AWS identity. `token` defaults to one signed with the SDK's
 * default credential chain; tests pass their own.
 */
export function connectWithEksToken(ep: EksEndpoint, token: () => Promise<string> = eksTokenSource({ clusterName: ep.clusterName, region: ep.region })): ClusterConnection {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: ep.clusterName, server: ep.endpoint, caData: ep.certificateAuthorityData, skipTLSVerify: false }],
    users: [{ name: "studio-console", authProvider: { name: EKS_TOKEN_AUTH, config: {} } }],
    contexts: [{ name: ep.clusterName, cluster: ep.clusterName, user: "studio-console" }],
    currentContext: ep.clusterName,
  });
  kc.addAuthenticator(new BearerTokenAuthenticator(token));
  return fromKubeConfig(kc, "eks");
}

export interface KubeconfigSource {
  /** Path of a kubeconfig file. */
  path?: string;
  /** Or its contents. */
  contents?: string;
  /** The context to use; the file's current-context when omitted. */
  context?: string;
}

/** A connection from a kubeconfig (file or text) and context, with whatever authentication it declares. */
export function connectWithKubeconfig(src: KubeconfigSource): ClusterConnection {
  const kc = new KubeConfig();
  if (src.contents !== undefined) kc.loadFromString(src.contents);
  else if (src.path) kc.loadFromFile(src.path);
  else throw new Error("kubeconfig: give a path or the file's contents");
  if (src.context) {
    if (!kc.getContextObject(src.context))
      throw new Error(`kubeconfig context "${src.context}" does not exist (contexts: ${kc.getContexts().map((c) => c.name).join(", ") || "none"})`);
    kc.setCurrentContext(src.context);
  }
  if (!kc.getCurrentCluster()) throw new Error("kubeconfig: the current context names no cluster");
  return fromKubeConfig(kc, "kubeconfig");
}

function fromKubeConfig(kc: KubeConfig, source: ClusterConnection["source"]): ClusterConnection {
  return {
    source,
    server: kc.getCurrentCluster()!.server,
    contextNamespace: kc.getContextObject(kc.getCurrentContext())?.namespace,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    authz: kc.makeApiClient(AuthorizationV1Api),
  };
}

/** The kubeconfig alternative, when configured: `CONSOLE_KUBECONFIG` (a path) and optional `CONSOLE_KUBE_CONTEXT`. */
export function kubeconfigFromEnv(env: Record<string, string | undefined> = process.env): KubeconfigSource | null {
  const path = env.CONSOLE_KUBECONFIG?.trim();
  if (!path) return null;
  return { path, context: env.CONSOLE_KUBE_CONTEXT?.trim() || undefined };
}

/**
 * The connection for an environment: the configured kubeconfig when there is one (it wins, since an admin set it
 * on purpose), otherwise EKS from DescribeCluster and the console's AWS identity.
 */
export async function connectToCluster(
  target: { region: string; clusterName: string },
  opts: { kubeconfig?: KubeconfigSource | null; cx?: AwsCallContext } = {},
): Promise<ClusterConnection> {
  const kubeconfig = opts.kubeconfig === undefined ? kubeconfigFromEnv() : opts.kubeconfig;
  if (kubeconfig) return connectWithKubeconfig(kubeconfig);
  return connectWithEksToken(await describeEksEndpoint(target.region, target.clusterName, opts.cx));
}
