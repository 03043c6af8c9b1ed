import "server-only";
// The EKS cluster's OIDC issuer: the identity provider the roles' trust policies name.
import { DescribeClusterCommand } from "@aws-sdk/client-eks";
import type { Observed } from "../steps/types";
import { awsFind, type AwsCallContext } from "./call";
import type { AwsClients } from "./clients";

export async function readCluster(c: AwsClients, cx: AwsCallContext, name: string): Promise<Observed["cluster"]> {
  const res = await awsFind(cx, "eks:DescribeCluster", (o) => c.eks.send(new DescribeClusterCommand({ name }), o));
  if (!res?.cluster) return null;
  return { name, oidcIssuer: res.cluster.identity?.oidc?.issuer ?? "", status: res.cluster.status };
}
