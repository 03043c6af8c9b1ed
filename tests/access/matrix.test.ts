// The access matrix of environments exactly as the console writes them: every partition, instance and Aurora,
// IRSA and Pod Identity, each trust scope.
import { describe, expect, it } from "vitest";
import { evaluateAccessMatrix } from "@/lib/access";
import { S3_BUCKET_ACTIONS, S3_OBJECT_ACTIONS } from "@/lib/policies/s3-actions";
import { ACCOUNT, BUCKET, consoleEnvironment, REGIONS, RESOURCE_IDS, row } from "./fixtures";

const PARTITIONS = ["aws", "aws-cn", "aws-us-gov"] as const;
const KINDS = ["instance", "cluster"] as const;

describe("an environment as the console writes it", () => {
  describe.each(PARTITIONS)("partition %s", (partition) => {
    const region = REGIONS[partition];

    it.each(KINDS)("IRSA, %s: every answer as intended, each with its deciding statement", async (dbKind) => {
      const m = await evaluateAccessMatrix(consoleEnvironment({ partition, dbKind }));
      expect(m.ok).toBe(true);
      expect(m.counts).toEqual({ pass: m.rows.length, warn: 0, fail: 0 });
      expect(m.findings).toEqual([]);
      expect(m.identity).toBe("irsa");

      const backend = row(m, "assume-rds-studio-backend");
      expect(backend).toMatchObject({ decision: "allowed", verdict: "pass", action: "sts:AssumeRoleWithWebIdentity" });
      expect(backend.principal).toBe(
        `arn:${partition}:iam::${ACCOUNT}:oidc-provider/oidc.eks.${region}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`,
      );
      expect(backend.context).toEqual({
        [`oidc.eks.${region}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub`]: "system:serviceaccount:rasa:studio-backend",
        [`oidc.eks.${region}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud`]: "sts.amazonaws.com",
      });
      expect(backend.decidedBy).toEqual([
        {
          source: { kind: "trust", name: "studio-staging-rds-role", label: "trust policy of studio-staging-rds-role" },
          sid: "AllowStudioServiceAccountsWebIdentity",
          index: 1,
        },
      ]);
      for (const id of ["assume-rds-other-service-account", "assume-rds-other-namespace", "assume-rds-other-cluster", "assume-s3-other-cluster"])
        expect(row(m, id)).toMatchObject({ decision: "denied", denial: "implicit", intent: "deny", verdict: "pass" });

      const connect = row(m, "connect-iam-user");
      expect(connect.resource).toBe(`arn:${partition}:rds-db:${region}:${ACCOUNT}:dbuser:${RESOURCE_IDS[dbKind]}/studio_iam_user`);
      expect(connect).toMatchObject({ decision: "allowed", verdict: "pass" });
      expect(connect.decidedBy[0].source.label).toBe("inline policy studio-rds-db-connect of studio-staging-rds-role");
      expect(row(m, "connect-master-user").resource).toBe(`arn:${partition}:rds-db:${region}:${ACCOUNT}:dbuser:${RESOURCE_IDS[dbKind]}/postgres`);
      expect(row(m, "connect-other-database").resource).toMatch(new RegExp(`:dbuser:${dbKind === "instance" ? "db" : "cluster"}-ANOTHERDATABASE`));
      for (const id of ["connect-other-user", "connect-master-user", "connect-other-database", "connect-s3-role"])
        expect(row(m, id)).toMatchObject({ decision: "denied", verdict: "pass" });

      for (const a of [...S3_BUCKET_ACTIONS, ...S3_OBJECT_ACTIONS]) {
        const r = row(m, `s3-${a.slice(3).toLowerCase()}`);
        expect(r).toMatchObject({ action: a, decision: "allowed", verdict: "pass" });
        expect(r.resource.startsWith(`arn:${partition}:s3:::${BUCKET}`)).toBe(true);
        // Same account: the role's policy and the bucket policy both grant, and both are named.
        expect(r.decidedBy.map((d) => d.source.kind)).toEqual(["inline", "bucket"]);
      }
      const insecure = row(m, "s3-insecure-get");
      expect(insecure.context["aws:SecureTransport"]).toBe("false");
      expect(insecure).toMatchObject({ decision: "denied", denial: "explicit", verdict: "pass" });
      expect(insecure.reason).toBe(`explicitly denied by statement 3 "DenyInsecureTransport" of the bucket policy of ${BUCKET}`);
      for (const id of ["s3-other-bucket-list", "s3-other-bucket-get", "s3-rds-role-get"])
        expect(row(m, id)).toMatchObject({ decision: "denied", verdict: "pass" });
      expect(m.rows.filter((r) => r.group === "unexpected").every((r) => r.decision === "denied" && r.verdict === "pass")).toBe(true);
      // No key: no key questions.
      expect(m.rows.some((r) => r.group === "key")).toBe(false);
      // Every context key reached the evaluator (an ignored key would make an answer partial).
      expect(m.rows.filter((r) => r.reason.includes("ignored"))).toEqual([]);
    });

    it("Pod Identity with a KMS key: associations bind the service accounts, the trust pins the cluster", async () => {
      const m = await evaluateAccessMatrix(consoleEnvironment({ partition, identity: "pod-identity", kms: true }));
      expect(m.ok).toBe(true);
      expect(m.identity).toBe("pod-identity");
      const assume = row(m, "assume-rds-studio-backend-assumerole");
      expect(assume).toMatchObject({ principal: "pods.eks.amazonaws.com", action: "sts:AssumeRole", decision: "allowed", verdict: "pass" });
      expect(assume.context["aws:SourceArn"]).toBe(`arn:${partition}:eks:${region}:${ACCOUNT}:cluster/studio-eks`);
      expect(assume.context["aws:RequestTag/kubernetes-service-account"]).toBe("studio-backend");
      expect(assume.decidedBy[0]).toMatchObject({ sid: "AllowEksAuthToAssumeRoleForPodIdentity", index: 1 });
      expect(row(m, "assume-s3-studio-model-service-tagsession")).toMatchObject({ action: "sts:TagSession", decision: "allowed" });
      expect(row(m, "assume-rds-other-service-account")).toMatchObject({
        decision: "denied",
        denial: "no-association",
        verdict: "pass",
        reason: "denied: no pod identity association for rasa/default",
      });
      expect(row(m, "assume-rds-other-service-account").decidedBy[0].source.kind).toBe("association");
      expect(row(m, "assume-s3-other-namespace")).toMatchObject({ denial: "no-association", verdict: "pass" });
      expect(row(m, "assume-rds-other-cluster-assumerole")).toMatchObject({ decision: "denied", denial: "implicit", verdict: "pass" });

      const decrypt = row(m, "kms-decrypt");
      expect(decrypt).toMatchObject({ decision: "allowed", verdict: "pass" });
      expect(decrypt.context["kms:ViaService"]).toBe(`s3.${region}.${partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"}`);
      expect(decrypt.decidedBy.map((d) => d.source.kind)).toEqual(["inline", "key"]);
      expect(row(m, "kms-generate-data-key")).toMatchObject({ decision: "allowed", verdict: "pass" });
      expect(row(m, "kms-rds-role-decrypt")).toMatchObject({ decision: "denied", verdict: "pass" });
    });
  });

  it("trust scope namespace: another service account of the namespace gets in, with the warning; another namespace not", async () => {
    const m = await evaluateAccessMatrix(consoleEnvironment({ scope: "namespace" }));
    expect(m.ok).toBe(true);
    const other = row(m, "assume-rds-other-service-account");
    expect(other).toMatchObject({ decision: "allowed", intent: "tolerate", verdict: "warn" });
    expect(other.note).toBe("trust scope \"namespace\": any service account in namespace rasa can assume the role");
    expect(row(m, "assume-rds-other-namespace")).toMatchObject({ decision: "denied", verdict: "pass" });
    expect(row(m, "assume-s3-other-cluster")).toMatchObject({ decision: "denied", verdict: "pass" });
    expect(m.counts.warn).toBe(2);
    expect(m.findings).toEqual([{ severity: "warn", message: other.note }]);
    expect(m.edges.find((e) => e.from === "subject-rasa-default" && e.to === "role-studio-staging-rds-role")?.state).toBe("warning");
  });

  it("trust scope cluster: any service account anywhere in the cluster, with the warning; another cluster still not", async () => {
    const m = await evaluateAccessMatrix(consoleEnvironment({ scope: "cluster" }));
    expect(m.ok).toBe(true);
    for (const id of ["assume-rds-other-service-account", "assume-rds-other-namespace", "assume-s3-other-service-account", "assume-s3-other-namespace"])
      expect(row(m, id)).toMatchObject({ decision: "allowed", verdict: "warn" });
    expect(row(m, "assume-rds-other-namespace").note).toMatch(/any pod in the cluster/);
    expect(row(m, "assume-rds-other-cluster")).toMatchObject({ decision: "denied", verdict: "pass" });
    expect(m.counts).toMatchObject({ warn: 4, fail: 0 });
  });

  it("one role for both jobs: it may do both, and the questions that keep two roles apart are not asked", async () => {
    const env = consoleEnvironment();
    const both = {
      ...env.roles.rds,
      inlinePolicies: [...env.roles.rds.inlinePolicies, ...env.roles.s3.inlinePolicies],
      serviceAccounts: [...env.roles.rds.serviceAccounts, ...env.roles.s3.serviceAccounts],
    };
    const bucketPolicy = String(env.bucketPolicy).replaceAll("studio-staging-s3-role", "studio-staging-rds-role");
    const trust = decodeURIComponent(String(env.roles.rds.trustPolicy)).replace(
      '"system:serviceaccount:rasa:studio-database-migration"',
      '"system:serviceaccount:rasa:studio-database-migration","system:serviceaccount:rasa:studio-model-service"',
    );
    const m = await evaluateAccessMatrix({ ...env, bucketPolicy, roles: { rds: { ...both, trustPolicy: trust }, s3: { ...both, trustPolicy: trust } } });
    expect(m.ok).toBe(true);
    expect(row(m, "s3-getobject").decidedBy.map((d) => d.source.label)).toEqual([
      "inline policy studio-s3-model-storage of studio-staging-rds-role",
      `bucket policy of ${BUCKET}`,
    ]);
    for (const id of ["connect-s3-role", "s3-rds-role-get", "unexpected-s3-get-secret"]) expect(m.rows.some((r) => r.id === id)).toBe(false);
    expect(m.nodes.filter((n) => n.kind === "role").map((n) => n.label)).toEqual(["studio-staging-rds-role"]);
  });

  it("is plain JSON: a run can store it and read it back unchanged", async () => {
    const m = await evaluateAccessMatrix(consoleEnvironment({ identity: "pod-identity", kms: true }));
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
    expect(new Set(m.rows.map((r) => r.id)).size).toBe(m.rows.length);
    for (const r of m.rows) expect(r.id).toMatch(/^[a-z0-9-]+$/);
  });
});
