// The strangers the matrix asks about: a service account of the namespace that is none of the intended ones, the
// same name in another namespace, another cluster. Chosen so they can never be an intended one.

/**
 * Another service account in the namespace: `default`, the one every pod without `serviceAccountName` runs as
 * (the likeliest accidental holder of a broad trust), unless it is intended.
 */
export function otherServiceAccount(intended: readonly string[]): string {
  return ["default", "unrelated-workload"].find((n) => !intended.includes(n))!;
}

/** Another namespace: `default`, or `kube-system` when the environment lives in `default`. */
export function otherNamespace(namespace: string): string {
  return namespace === "default" ? "kube-system" : "default";
}

/** Another cluster of the same account. */
export function otherClusterName(clusterName: string): string {
  return clusterName === "another-cluster" ? "another-cluster-2" : "another-cluster";
}

/**
 * The issuer of another cluster: same region, another id (EKS issuers end in `/id/<hex>`; any other issuer gets
 * a different last segment too).
 */
export function otherIssuer(issuer: string): string {
  const trimmed = issuer.replace(/\/+$/, "");
  const other = "0THERC1USTER0000000000000000000A";
  const cut = trimmed.lastIndexOf("/");
  const last = trimmed.slice(cut + 1);
  return `${trimmed.slice(0, cut + 1)}${last === other ? `${other}B` : other}`;
}
