import "server-only";
// The "cluster check" run: after the Helm upgrade, read Studio's service accounts, deployments, pods and the
// migration job (lib/k8s/reader) and check them against what the console set up (lib/k8s/checks): each check
// passed, failed or not checkable with the reason, stored in the run and shown on the environment page. The run
// fails when a check fails; a check the console cannot make does not fail it.
import { readAssociations } from "@/lib/aws/eks";
import { awsClients } from "@/lib/aws/clients";
import { readIdentity } from "@/lib/aws/sts";
import type { Task } from "@/lib/jobs/tasks";
import { checkStudioIdentity, type ClusterCheck, type PodIdentityAssociation } from "@/lib/k8s/checks";
import { identityExpectations } from "@/lib/k8s/expectations";
import { readStudioWorkloads } from "@/lib/k8s/reader";
import type { Connect } from "./connect";

export interface ClusterCheckOptions {
  connect: Connect;
  /** When the roles last changed by the console's own record (the last apply that succeeded). */
  roleChangedAt?: Date;
  /** The account the roles are in; read from STS when not given. */
  accountId?: string;
  /** Pod Identity mode: the associations; read from EKS when not given. */
  associations?: PodIdentityAssociation[];
}

export interface ClusterCheckOutput extends Record<string, unknown> {
  clusterChecks: ClusterCheck[];
  /** The run page's view of them: name, ok, detail. */
  checks: { name: string; ok: boolean; detail: string }[];
  passed: number;
  failed: number;
  notCheckable: number;
}

export function summarise(checks: ClusterCheck[]): ClusterCheckOutput {
  return {
    clusterChecks: checks,
    checks: checks.map((c) => ({ name: c.title, ok: c.status === "passed", detail: c.status === "not-checkable" ? `not checkable: ${c.detail}` : c.detail })),
    passed: checks.filter((c) => c.status === "passed").length,
    failed: checks.filter((c) => c.status === "failed").length,
    notCheckable: checks.filter((c) => c.status === "not-checkable").length,
  };
}

export function clusterCheckTask(opts: ClusterCheckOptions): Task {
  return {
    kind: "cluster-check",
    async run(ctx) {
      const s = ctx.settings;
      const aws = awsClients(s.region);
      const cx = { signal: ctx.signal };
      const accountId = opts.accountId ?? (await readIdentity(aws, cx)).accountId;
      const associations =
        s.identityMode === "pod-identity"
          ? (opts.associations ??
            (await readAssociations(aws, cx, s.clusterName, s.namespace)).map((a) => ({ namespace: a.namespace, serviceAccount: a.serviceAccount, roleArn: a.roleArn })))
          : undefined;
      const expected = identityExpectations(s, { accountId, mode: s.identityMode, associations, roleChangedAt: opts.roleChangedAt });
      const conn = await opts.connect();
      await ctx.log("info", `Reading namespace ${s.namespace} through ${conn.source === "eks" ? "the EKS API" : "the kubeconfig"} (${conn.server})`);
      await ctx.progress(0.3);
      const workloads = await readStudioWorkloads(conn, { namespace: s.namespace, migrationJobName: expected.migrationJobName, signal: ctx.signal });
      await ctx.progress(0.8);
      const checks = checkStudioIdentity(workloads, expected);
      for (const c of checks) await ctx.log(c.status === "failed" ? "warn" : "info", `${c.title}: ${c.status} — ${c.detail}`);
      const output = summarise(checks);
      const line = `${output.passed} passed, ${output.failed} failed, ${output.notCheckable} not checkable`;
      return { output, failure: output.failed ? `Cluster check: ${line}` : undefined };
    },
  };
}
