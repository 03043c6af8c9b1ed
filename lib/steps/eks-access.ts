import "server-only";
// Step `eks-access` (only when the console reaches the cluster through the EKS API): an EKS access entry for
// the console's own principal with AmazonEKSViewPolicy scoped to Studio's namespace, what the cluster checks
// need; and, only when the admin asked for it (clusterEditRights), AmazonEKSEditPolicy in that namespace, to
// restart Studio's deployments and run the model copy Job. Rows and requests from lib/k8s/access-entry.ts.
import type { AssociateAccessPolicyCommandInput, CreateAccessEntryCommandInput } from "@aws-sdk/client-eks";
import { associateAccessPolicy, createAccessEntry, readConsoleAccess } from "../aws/eks-access";
import type { EnvironmentSettings } from "../config/environment";
import { accessEntryChanges, accessEntryPrincipalArn, type AccessEntryTarget, type ObservedAccess } from "../k8s/access-entry";
import { scopes, type ScopeTarget } from "../policies/scopes";
import { change, json } from "./change";
import type { IdentityFacts } from "./identity";
import type { Change, Facts, Step } from "./types";

export interface EksAccessFacts {
  /** The IAM principal the entry names (an assumed-role session becomes its role). */
  principalArn: string | null;
  /** Why no principal: the caller cannot be named by an access entry. */
  principalProblem?: string;
  /** null: no such cluster (discover blocks the plan then). */
  access: ObservedAccess | null;
}

/** Access entries of the cluster (`access-entry/<cluster>/<principal type>/<account>/<name>/<uuid>`). */
const accessEntries = (t: ScopeTarget) => [
  `arn:${t.partition}:eks:${t.settings?.region ?? (t.region || "*")}:${t.accountId || "*"}:access-entry/${t.settings?.clusterName ?? "*"}/*`,
];

function principalOf(facts: Facts): { principalArn: string | null; principalProblem?: string } {
  const id = facts.identity as IdentityFacts | undefined;
  if (!id?.arn) return { principalArn: null, principalProblem: "the caller identity could not be read" };
  try {
    return { principalArn: accessEntryPrincipalArn(id.arn) };
  } catch (err) {
    return { principalArn: null, principalProblem: (err as Error).message };
  }
}

function target(s: EnvironmentSettings, facts: Facts, principalArn: string): AccessEntryTarget {
  const id = facts.identity as IdentityFacts;
  return { environmentName: s.name, region: s.region, accountId: id.accountId, clusterName: s.clusterName, namespace: s.namespace, principalArn };
}

function eksAccessChanges(facts: Facts, s: EnvironmentSettings): Change[] {
  const seen = facts["eks-access"] as EksAccessFacts | undefined;
  if (!seen?.principalArn || !seen.access) return [];
  const t = target(s, facts, seen.principalArn);
  return accessEntryChanges(t, seen.access, { edit: s.clusterEditRights }).flatMap((row, i): Change[] => {
    if (row.action === "blocked") return [];
    const request = row.request;
    const isEntry = row.call === "eks:CreateAccessEntry";
    const policy = !isEntry && request ? (request as AssociateAccessPolicyCommandInput).policyArn!.split("/").pop() : undefined;
    return [
      change("eks-access", isEntry ? "entry" : `policy:${policy ?? i}`, {
        action: row.action,
        call: row.call,
        resource: isEntry ? `EKS access entry for ${t.principalArn} on cluster ${s.clusterName}` : `EKS access policy ${policy ?? ""} for ${t.principalArn} in namespace ${s.namespace}`,
        reason: row.reason,
        document: request ? json(request) : undefined,
        language: "json",
        needs: isEntry ? ["eks:CreateAccessEntry", "eks:TagResource"] : ["eks:AssociateAccessPolicy"],
        ...(request && {
          async execute(ctx) {
            const r = isEntry
              ? await createAccessEntry(ctx.aws, ctx.cx, request as CreateAccessEntryCommandInput)
              : await associateAccessPolicy(ctx.aws, ctx.cx, request as AssociateAccessPolicyCommandInput);
            return { requestId: r.requestId, message: isEntry ? `created the access entry for ${t.principalArn}` : `associated ${policy} in namespace ${s.namespace}` };
          },
          cli: (w) => {
            if (isEntry) {
              const c = request as CreateAccessEntryCommandInput;
              const tags = Object.entries(c.tags ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
              w.command("aws", "eks", "create-access-entry", "--cluster-name", c.clusterName!, "--principal-arn", c.principalArn!, "--type", "STANDARD", "--tags", tags);
            } else {
              const a = request as AssociateAccessPolicyCommandInput;
              w.command("aws", "eks", "associate-access-policy", "--cluster-name", a.clusterName!, "--principal-arn", a.principalArn!, "--policy-arn", a.policyArn!,
                "--access-scope", `type=namespace,namespaces=${a.accessScope!.namespaces!.join(",")}`);
            }
          },
        }),
      }),
    ];
  });
}

function eksAccessBlockers(facts: Facts, s: EnvironmentSettings): string[] {
  const seen = facts["eks-access"] as EksAccessFacts | undefined;
  if (!seen) return [];
  if (!seen.principalArn) return [`EKS access entry: ${seen.principalProblem}`];
  if (!seen.access) return [];
  const blocked = accessEntryChanges(target(s, facts, seen.principalArn), seen.access, { edit: s.clusterEditRights }).find((c) => c.action === "blocked");
  return blocked ? [`EKS access entry: ${blocked.reason}`] : [];
}

export const eksAccessStep: Step<EksAccessFacts> = {
  key: "eks-access",
  title: "Give the console read access to Studio's namespace (EKS access entry)",
  dependsOn: ["identity", "discover"],
  readsAfter: ["identity"],
  permissions: [
    { actions: ["eks:DescribeCluster", "eks:CreateAccessEntry", "eks:TagResource"], resources: scopes.cluster },
    { actions: ["eks:DescribeAccessEntry", "eks:ListAssociatedAccessPolicies", "eks:AssociateAccessPolicy", "eks:TagResource"], resources: accessEntries },
  ],
  async observe(ctx) {
    const principal = principalOf(ctx.facts);
    if (!principal.principalArn) return { ...principal, access: null };
    const access = await ctx.read(`eks:access:${ctx.settings.clusterName}:${principal.principalArn}`, () =>
      readConsoleAccess(ctx.aws, ctx.cx, ctx.settings.clusterName, principal.principalArn!),
    );
    return { ...principal, access };
  },
  changes: eksAccessChanges,
  blockers: eksAccessBlockers,
  describe: (f) => (f.principalArn ? [`the console's access entry names ${f.principalArn}`] : []),
};
