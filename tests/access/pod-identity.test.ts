// EKS Pod Identity: the association is what binds a service account to a role; the trust decides whether the
// EKS service may assume it for this cluster.
import { describe, expect, it } from "vitest";
import { evaluateAccessMatrix, type AccessMatrixInput } from "@/lib/access";
import { ACCOUNT, consoleEnvironment, NAMESPACE, podIdentityTrust, row } from "./fixtures";

const RDS_ROLE = `arn:aws:iam::${ACCOUNT}:role/studio-staging-rds-role`;
const S3_ROLE = `arn:aws:iam::${ACCOUNT}:role/studio-staging-s3-role`;

function withAssociations(
  env: AccessMatrixInput,
  change: (a: Extract<AccessMatrixInput["identity"], { kind: "pod-identity" }>["associations"]) => typeof a,
): AccessMatrixInput {
  if (env.identity.kind !== "pod-identity") throw new Error("fixture is not pod identity");
  return { ...env, identity: { kind: "pod-identity", associations: change(env.identity.associations) } };
}

describe("EKS Pod Identity", () => {
  it("an intended service account without an association: denied by the missing association, and the matrix fails", async () => {
    const env = withAssociations(consoleEnvironment({ identity: "pod-identity" }), (as) => as.filter((a) => a.serviceAccount !== "studio-database-migration"));
    const m = await evaluateAccessMatrix(env);
    expect(m.ok).toBe(false);
    const r = row(m, "assume-rds-studio-database-migration");
    expect(r).toMatchObject({
      decision: "denied",
      denial: "no-association",
      verdict: "fail",
      reason: `denied: no pod identity association for ${NAMESPACE}/studio-database-migration`,
    });
    expect(r.decidedBy).toEqual([
      { source: { kind: "association", name: "studio-eks", label: "pod identity associations of cluster studio-eks" } },
    ]);
  });

  it("an association that binds the service account to the other role: denied, naming that role", async () => {
    const env = withAssociations(consoleEnvironment({ identity: "pod-identity" }), (as) =>
      as.map((a) => (a.serviceAccount === "studio-model-service" ? { ...a, roleArn: RDS_ROLE } : a)),
    );
    const m = await evaluateAccessMatrix(env);
    expect(row(m, "assume-s3-studio-model-service")).toMatchObject({
      verdict: "fail",
      reason: `denied: the association of ${NAMESPACE}/studio-model-service names ${RDS_ROLE}, not this role`,
    });
    // …and now the model service reaches the RDS role, which nobody intended.
    expect(row(m, "assume-rds-association-rasa-studio-model-service-assumerole")).toMatchObject({ decision: "allowed", verdict: "fail" });
  });

  it("an association nobody intended (the namespace's default service account) is a way in: allowed but not intended", async () => {
    const env = withAssociations(consoleEnvironment({ identity: "pod-identity" }), (as) => [
      ...as,
      { namespace: NAMESPACE, serviceAccount: "default", roleArn: S3_ROLE },
    ]);
    const m = await evaluateAccessMatrix(env);
    expect(m.ok).toBe(false);
    const r = row(m, "assume-s3-association-rasa-default-assumerole");
    expect(r).toMatchObject({ decision: "allowed", verdict: "fail", note: "allowed but not intended" });
    expect(r.context["aws:RequestTag/kubernetes-service-account"]).toBe("default");
    // The stranger question is that association now; it is not asked twice.
    expect(m.rows.some((x) => x.id === "assume-s3-other-service-account")).toBe(false);
  });

  it("a trust that pins the namespace and service account by session tag stops an unintended association", async () => {
    const env = withAssociations(consoleEnvironment({ identity: "pod-identity" }), (as) => [
      ...as,
      { namespace: NAMESPACE, serviceAccount: "default", roleArn: S3_ROLE },
    ]);
    const trust = podIdentityTrust("aws", "eu-west-1");
    trust.Statement[0].Condition!.StringEquals = {
      ...trust.Statement[0].Condition!.StringEquals,
      "aws:RequestTag/kubernetes-namespace": NAMESPACE,
      "aws:RequestTag/kubernetes-service-account": "studio-model-service",
    };
    const m = await evaluateAccessMatrix({ ...env, roles: { ...env.roles, s3: { ...env.roles.s3, trustPolicy: trust } } });
    expect(row(m, "assume-s3-association-rasa-default-assumerole")).toMatchObject({ decision: "denied", denial: "implicit", verdict: "pass" });
    expect(row(m, "assume-s3-studio-model-service-assumerole")).toMatchObject({ decision: "allowed", verdict: "pass" });
    expect(m.ok).toBe(true);
  });

  it("AWS's documented trust without a cluster condition: another cluster gets in, shown with a warning", async () => {
    const env = consoleEnvironment({ identity: "pod-identity" });
    const open = podIdentityTrust("aws", "eu-west-1", { pinCluster: false });
    const m = await evaluateAccessMatrix({ ...env, roles: { ...env.roles, rds: { ...env.roles.rds, trustPolicy: open } } });
    const r = row(m, "assume-rds-other-cluster-assumerole");
    expect(r).toMatchObject({ decision: "allowed", intent: "tolerate", verdict: "warn" });
    expect(r.note).toMatch(/does not pin aws:SourceArn .* to cluster studio-eks/);
    expect(r.context["aws:SourceArn"]).toBe(`arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/another-cluster`);
    expect(m.ok).toBe(true);
  });

  it("session tags disabled on an association: only sts:AssumeRole is asked for it", async () => {
    const env = withAssociations(consoleEnvironment({ identity: "pod-identity" }), (as) =>
      as.map((a) => (a.serviceAccount === "studio-backend" ? { ...a, disableSessionTags: true } : a)),
    );
    const m = await evaluateAccessMatrix(env);
    const ids = m.rows.filter((r) => r.id.startsWith("assume-rds-studio-backend")).map((r) => r.id);
    expect(ids).toEqual(["assume-rds-studio-backend-assumerole"]);
    expect(row(m, "assume-rds-studio-backend-assumerole").context).toEqual({
      "aws:SourceAccount": ACCOUNT,
      "aws:SourceArn": `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/studio-eks`,
    });
  });
});
