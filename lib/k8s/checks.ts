// Proof from the cluster that the Helm upgrade took: pure checks over what ./reader read. Each check is passed,
// failed, or not checkable (with the reason: a read the console may not make, nothing running, no timestamp).
//
// Facts from the chart sources (RasaHQ/rasa-helm-charts, tag studio-2.6.0,
// charts/studio/templates/studio/backend/database-migration-job.yaml and database-migration-serviceaccount.yaml):
// the migration Job is a pre-install/pre-upgrade hook with `hook-delete-policy: before-hook-creation,hook-succeeded`,
// so Helm DELETES it once it succeeds and only a failed (or running) job is ever left to read; its service account
// is a hook too (`before-hook-creation`, weight -2), recreated on every upgrade just before the job runs, so its
// creation time is the time of the last upgrade's migration.
import type { V1Container, V1Deployment, V1EnvVar, V1ObjectMeta, V1Pod, V1PodSpec, V1ServiceAccount } from "@kubernetes/client-node";
import { ROLE_ARN_ANNOTATION } from "@/lib/helm/apply-values";
import type { Read, StudioWorkloads } from "./reader";

/** What the IRSA webhook injects into every container of a pod whose service account carries the annotation. */
export const IRSA_ENV = ["AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"] as const;
/** What the EKS Pod Identity webhook injects for a service account with an association. */
export const POD_IDENTITY_ENV = ["AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] as const;
/** Env names that carry a static AWS key: with these set, the SDKs use the key before any role. */
export const STATIC_KEY_ENV = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] as const;

export type CheckStatus = "passed" | "failed" | "not-checkable";

export interface ClusterCheck {
  /** Stable id: `service-account:<name>`, `restart:<deployment>`, `env:<deployment>`, `migration-job`, `static-keys`. */
  id: string;
  title: string;
  status: CheckStatus;
  /** What was seen (passed), what is wrong (failed), or why it cannot be known (not checkable). */
  detail: string;
  /** On a failed restart check: the deployment whose pods predate the role change. */
  restartDeployment?: string;
}

export interface ExpectedServiceAccount {
  name: string;
  /** `Studio backend`, `Rasa model service`… */
  purpose: string;
  roleArn: string;
  /** `migration`: the DB migration job's account, a Helm hook (no deployment runs as it). */
  use: "workload" | "migration";
}

/** One EKS Pod Identity association (eks:ListPodIdentityAssociations + DescribePodIdentityAssociation). */
export interface PodIdentityAssociation {
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  createdAt?: Date;
  modifiedAt?: Date;
}

export interface IdentityExpectations {
  mode: "irsa" | "pod-identity";
  releaseName: string;
  serviceAccounts: ExpectedServiceAccount[];
  /** Pod identity mode: the associations read from EKS for the cluster. */
  associations?: PodIdentityAssociation[];
  migrationJobName: string;
  /**
   * When the roles changed, from the console's own records (e.g. the Helm values' download or the apply run);
   * used only where the cluster keeps no timestamp of the change.
   */
  roleChangedAt?: Date;
  /** When the database moved to IAM authentication: a migration that ran before it proves nothing. */
  cutoverAt?: Date;
}

export function checkStudioIdentity(w: StudioWorkloads, e: IdentityExpectations): ClusterCheck[] {
  return [
    ...e.serviceAccounts.map((sa) => serviceAccountCheck(w, e, sa)),
    ...workloadChecks(w, e),
    migrationJobCheck(w, e),
    staticKeyCheck(w, e),
  ];
}

// ---- helpers --------------------------------------------------------------------------------------------------

const time = (s: Date | string | undefined): Date | undefined => (s ? new Date(s) : undefined);
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

function unreadable<T>(r: Read<T>, id: string, title: string): ClusterCheck | null {
  return r.ok ? null : { id, title, status: "not-checkable", detail: r.why };
}

function findSa(w: StudioWorkloads, name: string): V1ServiceAccount | undefined {
  return w.serviceAccounts.ok ? w.serviceAccounts.value.find((s) => s.metadata?.name === name) : undefined;
}

function association(e: IdentityExpectations, ns: string, sa: string): PodIdentityAssociation | undefined {
  return e.associations?.find((a) => a.namespace === ns && a.serviceAccount === sa);
}

/**
 * When the service account's role last changed. The API server records, per field manager, when it last
 * changed fields it owns (`metadata.managedFields[].time`); the entry owning the role annotation dates the change
 * (or a later edit by the same manager: conservative). Without one, the account's creation; then the console's record.
 */
export function roleChangeTime(sa: V1ServiceAccount | undefined, e: IdentityExpectations, ns: string): Date | undefined {
  if (e.mode === "pod-identity") {
    const a = association(e, ns, sa?.metadata?.name ?? "");
    return a?.modifiedAt ?? a?.createdAt ?? e.roleChangedAt;
  }
  const owners = (sa?.metadata?.managedFields ?? []).filter((f) => {
    const annotations = (f.fieldsV1 as Record<string, Record<string, Record<string, unknown>>> | undefined)?.["f:metadata"]?.["f:annotations"];
    return annotations && `f:${ROLE_ARN_ANNOTATION}` in annotations;
  });
  const times = owners.map((f) => time(f.time)).filter((t): t is Date => !!t);
  if (times.length) return new Date(Math.max(...times.map((t) => t.getTime())));
  if (sa?.metadata?.annotations?.[ROLE_ARN_ANNOTATION]) return time(sa.metadata.creationTimestamp) ?? e.roleChangedAt;
  return e.roleChangedAt;
}

// ---- service accounts ----------------------------------------------------------------------------------------

function serviceAccountCheck(w: StudioWorkloads, e: IdentityExpectations, want: ExpectedServiceAccount): ClusterCheck {
  const id = `service-account:${want.name}`;
  const title = `Service account ${want.name} (${want.purpose})`;
  const cannot = unreadable(w.serviceAccounts, id, title);
  if (cannot) return cannot;
  const sa = findSa(w, want.name);
  const fail = (detail: string): ClusterCheck => ({ id, title, status: "failed", detail });
  if (!sa)
    return fail(
      want.use === "migration"
        ? `not found in namespace ${w.namespace}: the chart creates it as a Helm hook just before the migration job, so no upgrade has run with the migration service account set (check the chart profile's migration path).`
        : `not found in namespace ${w.namespace}: the chart did not create it; run the Helm upgrade with the console's values, and check the chart profile if it still is missing.`,
    );
  const annotated = sa.metadata?.annotations?.[ROLE_ARN_ANNOTATION];
  if (e.mode === "irsa") {
    if (annotated === want.roleArn) return { id, title, status: "passed", detail: `${ROLE_ARN_ANNOTATION}: ${annotated}` };
    return fail(annotated ? `${ROLE_ARN_ANNOTATION} is ${annotated}, expected ${want.roleArn}` : `has no ${ROLE_ARN_ANNOTATION} annotation (expected ${want.roleArn})`);
  }
  const a = association(e, w.namespace, want.name);
  if (!a) return fail(`no EKS Pod Identity association for ${w.namespace}/${want.name} (expected one to ${want.roleArn})`);
  if (a.roleArn !== want.roleArn) return fail(`the Pod Identity association gives ${a.roleArn}, expected ${want.roleArn}`);
  // An IRSA annotation next to an association: the SDKs try web identity (AWS_ROLE_ARN) before container
  // credentials, so a stale annotation to another role would win.
  if (annotated && annotated !== want.roleArn)
    return fail(`associated with ${a.roleArn}, but the ${ROLE_ARN_ANNOTATION} annotation (${annotated}) would be used first; remove it`);
  return { id, title, status: "passed", detail: `Pod Identity association to ${a.roleArn}` };
}

// ---- workloads: restarted, env injected -------------------------------------------------------------------------

function podsOf(d: V1Deployment, pods: V1Pod[]): V1Pod[] {
  const sel = d.spec?.selector?.matchLabels ?? {};
  if (!Object.keys(sel).length) return [];
  return pods.filter(
    (p) =>
      !p.metadata?.deletionTimestamp &&
      p.status?.phase !== "Succeeded" &&
      p.status?.phase !== "Failed" &&
      Object.entries(sel).every(([k, v]) => p.metadata?.labels?.[k] === v),
  );
}

function workloadChecks(w: StudioWorkloads, e: IdentityExpectations): ClusterCheck[] {
  const out: ClusterCheck[] = [];
  for (const want of e.serviceAccounts.filter((s) => s.use === "workload")) {
    if (!w.deployments.ok) {
      out.push({ id: `workload:${want.name}`, title: `Pods running as ${want.name}`, status: "not-checkable", detail: w.deployments.why });
      continue;
    }
    const deployments = w.deployments.value.filter((d) => d.spec?.template.spec?.serviceAccountName === want.name);
    if (!deployments.length) {
      out.push({
        id: `workload:${want.name}`,
        title: `Pods running as ${want.name}`,
        status: "not-checkable",
        detail: `no deployment in namespace ${w.namespace} runs as ${want.name} (disabled in the values, or not upgraded yet)`,
      });
      continue;
    }
    for (const d of deployments) out.push(restartCheck(w, e, want, d), envCheck(w, e, want, d));
  }
  return out;
}

function restartCheck(w: StudioWorkloads, e: IdentityExpectations, want: ExpectedServiceAccount, d: V1Deployment): ClusterCheck {
  const name = d.metadata!.name!;
  const id = `restart:${name}`;
  const title = `Pods of ${name} started after the role change`;
  const cannot = unreadable(w.pods, id, title);
  if (cannot) return cannot;
  const pods = podsOf(d, w.pods.ok ? w.pods.value : []);
  if (!pods.length) return { id, title, status: "not-checkable", detail: `no running pods (replicas: ${d.spec?.replicas ?? 1})` };
  const changed = roleChangeTime(findSa(w, want.name), e, w.namespace);
  if (!changed)
    return { id, title, status: "not-checkable", detail: `when ${want.name}'s role changed is unknown (no timestamp in the cluster, none recorded)` };
  // The webhook adds the role's env when a pod is created, so creation (not container restarts) is what counts.
  const stale = pods.filter((p) => (time(p.metadata?.creationTimestamp)?.getTime() ?? 0) < changed.getTime());
  if (!stale.length) return { id, title, status: "passed", detail: `${pods.length} pod(s), all created after ${iso(changed)}` };
  return {
    id,
    title,
    status: "failed",
    detail: `restart needed: ${stale.map((p) => `${p.metadata?.name} (created ${iso(time(p.metadata?.creationTimestamp)!)})`).join(", ")} predate the role change at ${iso(changed)}`,
    restartDeployment: name,
  };
}

function containersOf(spec: V1PodSpec | undefined): V1Container[] {
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

function envValue(c: V1Container, name: string): V1EnvVar | undefined {
  return c.env?.find((v) => v.name === name);
}

function envCheck(w: StudioWorkloads, e: IdentityExpectations, want: ExpectedServiceAccount, d: V1Deployment): ClusterCheck {
  const name = d.metadata!.name!;
  const id = `env:${name}`;
  const title = `Pods of ${name} have the role's credentials env`;
  const cannot = unreadable(w.pods, id, title);
  if (cannot) return cannot;
  const pods = podsOf(d, w.pods.ok ? w.pods.value : []);
  if (!pods.length) return { id, title, status: "not-checkable", detail: `no running pods (replicas: ${d.spec?.replicas ?? 1})` };
  const problems: string[] = [];
  for (const p of pods)
    for (const c of p.spec?.containers ?? []) {
      const where = `${p.metadata?.name}/${c.name}`;
      if (e.mode === "irsa") {
        const role = envValue(c, "AWS_ROLE_ARN")?.value;
        if (!role || !envValue(c, "AWS_WEB_IDENTITY_TOKEN_FILE")) problems.push(`${where} has no ${IRSA_ENV.join("/")}`);
        else if (role !== want.roleArn) problems.push(`${where} has AWS_ROLE_ARN ${role}, expected ${want.roleArn}`);
      } else if (!POD_IDENTITY_ENV.every((n) => envValue(c, n))) problems.push(`${where} has no ${POD_IDENTITY_ENV.join("/")}`);
    }
  if (!problems.length)
    return { id, title, status: "passed", detail: `${e.mode === "irsa" ? IRSA_ENV.join(", ") : POD_IDENTITY_ENV.join(", ")} injected in ${pods.length} pod(s)` };
  return {
    id,
    title,
    status: "failed",
    detail: `${problems.join("; ")}. The webhook injects it only into pods created after the ${e.mode === "irsa" ? "annotation" : "association"}: restart them; if new pods still lack it, the ${e.mode === "irsa" ? "pod identity webhook" : "EKS Pod Identity Agent add-on"} is not working.`,
  };
}

// ---- the migration job -----------------------------------------------------------------------------------------

function migrationJobCheck(w: StudioWorkloads, e: IdentityExpectations): ClusterCheck {
  const id = "migration-job";
  const title = `Database migration job ${e.migrationJobName} after the cutover`;
  const cannot = unreadable(w.migrationJob, id, title);
  if (cannot) return cannot;
  const want = e.serviceAccounts.find((s) => s.use === "migration");
  const job = w.migrationJob.ok ? w.migrationJob.value : null;
  const before = (t: Date | undefined) => !!(t && e.cutoverAt && t.getTime() < e.cutoverAt.getTime());
  if (job) {
    const cond = (type: string) => job.status?.conditions?.find((c) => c.type === type && c.status === "True");
    const sa = job.spec?.template.spec?.serviceAccountName;
    const created = time(job.metadata?.creationTimestamp);
    if (want && sa !== want.name) return { id, title, status: "failed", detail: `runs as ${sa ?? "the namespace's default service account"}, not ${want.name}` };
    const failed = cond("Failed");
    if (failed) return { id, title, status: "failed", detail: `failed (${failed.reason ?? "Failed"}${failed.message ? `: ${failed.message}` : ""}); kubectl logs job/${e.migrationJobName} -n ${w.namespace} shows why` };
    if (!cond("Complete")) return { id, title, status: "not-checkable", detail: `still running (started ${created ? iso(created) : "?"})` };
    if (before(created)) return { id, title, status: "failed", detail: `the last migration ran at ${iso(created!)}, before the cutover at ${iso(e.cutoverAt!)}: run the Helm upgrade` };
    return { id, title, status: "passed", detail: `completed${job.status?.completionTime ? ` at ${iso(new Date(job.status.completionTime))}` : ""} as ${sa}` };
  }
  // No job left: Helm deletes it when it succeeds. Its hook service account, recreated just before it on every
  // upgrade, tells when it last ran and with which role.
  if (!want) return { id, title, status: "not-checkable", detail: "no job left (Helm deletes it once it succeeds) and no migration service account to date it by" };
  if (!w.serviceAccounts.ok) return { id, title, status: "not-checkable", detail: w.serviceAccounts.why };
  const sa = findSa(w, want.name);
  if (!sa) return { id, title, status: "failed", detail: `no job and no ${want.name} service account: no upgrade has run the migration with the IAM role yet` };
  const ranAt = time(sa.metadata?.creationTimestamp);
  const annotated = sa.metadata?.annotations?.[ROLE_ARN_ANNOTATION];
  const withRole = e.mode === "irsa" ? annotated === want.roleArn : association(e, w.namespace, want.name)?.roleArn === want.roleArn;
  if (!withRole) return { id, title, status: "failed", detail: `the last upgrade's migration ran as ${want.name} without the role ${want.roleArn}` };
  if (before(ranAt)) return { id, title, status: "failed", detail: `the last migration ran at ${iso(ranAt!)}, before the cutover at ${iso(e.cutoverAt!)}: run the Helm upgrade` };
  return {
    id,
    title,
    status: "passed",
    detail:
      `succeeded: Helm deletes the job when it succeeds (a failed one stays); the upgrade that recreated ${want.name}` +
      `${ranAt ? ` at ${iso(ranAt)}` : ""} ran it with ${want.roleArn}`,
  };
}

// ---- static keys --------------------------------------------------------------------------------------------

function staticKeyCheck(w: StudioWorkloads, e: IdentityExpectations): ClusterCheck {
  const id = "static-keys";
  const title = "No Studio container has a static AWS key";
  const accounts = new Set(e.serviceAccounts.map((s) => s.name));
  const ofRelease = (meta: V1ObjectMeta | undefined, spec: V1PodSpec | undefined) =>
    meta?.labels?.["app.kubernetes.io/instance"] === e.releaseName || accounts.has(spec?.serviceAccountName ?? "");
  const specs: { where: string; spec: V1PodSpec | undefined }[] = [];
  if (w.pods.ok) for (const p of w.pods.value) if (ofRelease(p.metadata, p.spec)) specs.push({ where: `pod ${p.metadata?.name}`, spec: p.spec });
  if (w.deployments.ok)
    for (const d of w.deployments.value)
      if (ofRelease(d.spec?.template.metadata ?? d.metadata, d.spec?.template.spec) || d.metadata?.labels?.["app.kubernetes.io/instance"] === e.releaseName)
        specs.push({ where: `deployment ${d.metadata?.name}`, spec: d.spec?.template.spec });
  if (w.migrationJob.ok && w.migrationJob.value) specs.push({ where: `job ${e.migrationJobName}`, spec: w.migrationJob.value.spec?.template.spec });

  const found: string[] = [];
  const unseen: string[] = [];
  for (const { where, spec } of specs)
    for (const c of containersOf(spec)) {
      // Names only: the values are never read into the result.
      for (const v of c.env ?? []) if ((STATIC_KEY_ENV as readonly string[]).includes(v.name)) found.push(`${where}/${c.name}: ${v.name}`);
      for (const from of c.envFrom ?? []) {
        if (from.secretRef?.name) unseen.push(`${where}/${c.name} takes env from secret ${from.secretRef.name}`);
        const cmName = from.configMapRef?.name;
        if (!cmName) continue;
        const cm = w.configMaps[cmName];
        if (!cm?.ok) {
          unseen.push(`${where}/${c.name} takes env from config map ${cmName} (${cm ? cm.why : "not read"})`);
          continue;
        }
        for (const key of Object.keys(cm.value?.data ?? {}))
          if ((STATIC_KEY_ENV as readonly string[]).includes(`${from.prefix ?? ""}${key}`)) found.push(`${where}/${c.name}: ${from.prefix ?? ""}${key} from config map ${cmName}`);
      }
    }
  const uniq = (xs: string[]) => [...new Set(xs)];
  if (found.length)
    return { id, title, status: "failed", detail: `${uniq(found).join("; ")}. With a key set, the AWS SDK uses it before the role: remove it from the values and upgrade.` };
  if (!w.pods.ok && !w.deployments.ok) return { id, title, status: "not-checkable", detail: w.pods.why };
  if (unseen.length) return { id, title, status: "not-checkable", detail: `no key in env, but ${uniq(unseen).join("; ")}: the console does not read secrets` };
  if (!specs.length) return { id, title, status: "not-checkable", detail: `no pods or deployments of release ${e.releaseName} in namespace ${w.namespace}` };
  return { id, title, status: "passed", detail: `${specs.length} pod spec(s) checked: no ${STATIC_KEY_ENV.join(" or ")} in env` };
}
