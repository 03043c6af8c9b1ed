// EKS Pod Identity through the real steps and the job service against the fake account: no OIDC provider, roles
// trusting the agent's principal for this cluster, the agent add-on, one association per service account; a
// second apply changes nothing; an association handing another role is put right.
import { describe, expect, it } from "vitest";
import { fakeAwsPerTest } from "@/tests/support/fake-aws";
import { engine, observe } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";
import { renderCliScript } from "./cli-script";
import { identityFacts } from "./facts";
import { operatorPolicy } from "./operator-policy";
import { buildPlan } from "./plan";

const aws = fakeAwsPerTest();
const env = testSettings({ identityMode: "pod-identity" });
const CLUSTER_ARN = "arn:aws:eks:eu-west-1:111122223333:cluster/studio-eks";
const RDS_ROLE = "arn:aws:iam::111122223333:role/studio-staging-rds-role";
const S3_ROLE = "arn:aws:iam::111122223333:role/studio-staging-s3-role";
const parsed = (encoded: string) => JSON.parse(decodeURIComponent(encoded));

describe("EKS Pod Identity", () => {
  it("plans the agent and one association per service account, no OIDC provider; roles trust the agent's principal", async () => {
    const plan = buildPlan(env, await observe(env));
    expect(plan.steps.find((s) => s.key === "oidc-provider")?.applies).toBe(false);
    const pod = plan.steps.find((s) => s.key === "pod-identity")!;
    expect(pod.applies).toBe(true);
    expect(pod.changes.map((c) => [c.id, c.action, c.call])).toEqual([
      ["pod-identity:agent", "create", "eks:CreateAddon"],
      ["pod-identity:association:studio-backend", "create", "eks:CreatePodIdentityAssociation"],
      ["pod-identity:association:studio-event-ingestion", "create", "eks:CreatePodIdentityAssociation"],
      ["pod-identity:association:studio-database-migration", "create", "eks:CreatePodIdentityAssociation"],
      ["pod-identity:association:studio-model-service", "create", "eks:CreatePodIdentityAssociation"],
    ]);
    expect(JSON.parse(pod.changes[1].document!)).toMatchObject({ namespace: "rasa", serviceAccount: "studio-backend", roleArn: RDS_ROLE });
    const trust = JSON.parse(plan.steps.find((s) => s.key === "rds-role")!.changes[0].document!);
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
      Condition: { StringEquals: { "aws:SourceAccount": "111122223333", "aws:RequestTag/eks-cluster-arn": CLUSTER_ARN } },
    });
    // The CLI script prints the same changes.
    const { text } = renderCliScript(env, identityFacts(await observe(env)), plan);
    expect(text).toContain("aws eks create-addon --cluster-name studio-eks --addon-name eks-pod-identity-agent");
    expect(text).toContain(`aws eks create-pod-identity-association --cluster-name studio-eks --namespace rasa --service-account studio-model-service --role-arn ${S3_ROLE}`);
    expect(text).not.toContain("create-open-id-connect-provider");
  });

  it("applies, then a second apply makes zero mutating calls", async () => {
    aws.fake.db!.pollsUntilApplied = 1;
    const e = await engine(env);
    const { view } = await e.apply();
    const status = Object.fromEntries(view.steps.map((s) => [s.key, s.status]));
    expect(status).toMatchObject({ "oidc-provider": "skipped", "rds-role": "succeeded", "s3-role": "succeeded", "pod-identity": "succeeded" });
    expect(aws.fake.providers.size).toBe(0);
    expect(aws.fake.mutatingCalls().map((c) => c.command)).toEqual(
      expect.arrayContaining(["CreateAddon", "CreatePodIdentityAssociation", "CreateRole"]),
    );
    expect(aws.fake.calls("CreatePodIdentityAssociation").map((c) => [c.input.serviceAccount, c.input.roleArn])).toEqual([
      ["studio-backend", RDS_ROLE],
      ["studio-event-ingestion", RDS_ROLE],
      ["studio-database-migration", RDS_ROLE],
      ["studio-model-service", S3_ROLE],
    ]);
    const trust = parsed(aws.fake.roles.get("studio-staging-s3-role")!.trust);
    expect(trust.Statement[0].Condition.StringEquals["aws:RequestTag/kubernetes-service-account"]).toEqual(["studio-model-service"]);

    aws.fake.clearLog();
    await e.apply();
    expect(aws.fake.mutatingCalls()).toEqual([]);
    await e.close();
  });

  it("drift: an association handing another role is pointed back at Studio's role, nothing else changes", async () => {
    aws.fake.db!.pollsUntilApplied = 1;
    const e = await engine(env);
    await e.apply();
    aws.fake.addRole("someone-elses-role", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }] });
    const [existing] = aws.fake.calls("CreatePodIdentityAssociation");
    // Someone re-points the backend's association.
    const facts = await observe(env);
    const backend = (facts["pod-identity"] as { associations: { serviceAccount: string; associationId: string }[] }).associations.find(
      (a) => a.serviceAccount === existing.input.serviceAccount,
    )!;
    const { UpdatePodIdentityAssociationCommand, EKSClient } = await import("@aws-sdk/client-eks");
    await new EKSClient({ region: "eu-west-1" }).send(
      new UpdatePodIdentityAssociationCommand({ clusterName: "studio-eks", associationId: backend.associationId, roleArn: "arn:aws:iam::111122223333:role/someone-elses-role" }),
    );
    const plan = await e.refreshPlan();
    const drift = plan.plan.steps.find((s) => s.key === "pod-identity")!.changes.filter((c) => c.action !== "unchanged");
    expect(drift.map((c) => [c.id, c.action, c.call])).toEqual([["pod-identity:association:studio-backend", "update", "eks:UpdatePodIdentityAssociation"]]);
    expect(drift[0].reason).toBe(`hands arn:aws:iam::111122223333:role/someone-elses-role, not ${RDS_ROLE}`);
    aws.fake.clearLog();
    await e.apply({ plan });
    expect(aws.fake.mutatingCalls().map((c) => [c.command, c.input.roleArn])).toEqual([["UpdatePodIdentityAssociation", RDS_ROLE]]);
    await e.close();
  });

  it("the operator policy grants the association calls on the cluster and iam:PassRole on Studio's two roles only", () => {
    const doc = operatorPolicy({ settings: env, accountId: "111122223333" });
    const find = (action: string) => doc.Statement.filter((s) => ([] as string[]).concat(s.Action).includes(action)).flatMap((s) => s.Resource);
    expect(find("iam:PassRole")).toEqual([RDS_ROLE, S3_ROLE]);
    expect(find("eks:CreatePodIdentityAssociation")).toEqual([CLUSTER_ARN]);
    expect(find("eks:UpdatePodIdentityAssociation")).toEqual(["arn:aws:eks:eu-west-1:111122223333:podidentityassociation/studio-eks/*"]);
    expect(JSON.stringify(doc)).not.toContain("CreateOpenIDConnectProvider");
    // IRSA environments are not given them.
    expect(JSON.stringify(operatorPolicy({ settings: testSettings(), accountId: "111122223333" }))).not.toContain("PassRole");
  });
});
