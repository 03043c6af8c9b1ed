// The eks-access step through the real steps and the job service against the fake account: only with EKS API
// cluster access; an access entry for the console's principal with the view policy in Studio's namespace, edit
// only when asked, a second apply that changes nothing, an existing association widened (never narrowed), a
// ConfigMap-only cluster blocking with the way out; the operator policy and the CLI script from the same rows.
import { describe, expect, it } from "vitest";
import { fakeAwsPerTest } from "@/tests/support/fake-aws";
import { engine, observe } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";
import { renderCliScript } from "./cli-script";
import { identityFacts } from "./facts";
import { operatorPolicy } from "./operator-policy";
import { STEPS } from "./index";
import { buildPlan } from "./plan";

const aws = fakeAwsPerTest();
const env = testSettings({ clusterAccess: "eks" });
const VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
const EDIT = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy";

/** Only what the access entry needs, so the applies do not wait on RDS. */
const steps = STEPS.filter((s) => ["identity", "discover", "eks-access"].includes(s.key));
const rows = async (s = env) => buildPlan(s, await observe(s)).steps.find((x) => x.key === "eks-access")!;

describe("EKS access entry for the console", () => {
  it("is not part of the plan without EKS API cluster access", async () => {
    expect((await rows(testSettings())).applies).toBe(false);
    expect((await rows(testSettings({ clusterAccess: "kubeconfig", kubeconfigPath: "/etc/kube/config" }))).applies).toBe(false);
  });

  it("plans the entry and the view policy scoped to Studio's namespace; applies them; a second apply changes nothing", async () => {
    const step = await rows();
    const principal = aws.fake.callerArn;
    expect(step.changes.map((c) => [c.id, c.action, c.call])).toEqual([
      ["eks-access:entry", "create", "eks:CreateAccessEntry"],
      ["eks-access:policy:AmazonEKSViewPolicy", "create", "eks:AssociateAccessPolicy"],
    ]);
    expect(JSON.parse(step.changes[1].document!)).toEqual({
      accessScope: { namespaces: ["rasa"], type: "namespace" },
      clusterName: "studio-eks",
      policyArn: VIEW,
      principalArn: principal,
    });
    const e = await engine(env, { steps });
    const first = await e.apply();
    expect(first.view.status).toBe("succeeded");
    expect(aws.fake.mutatingCalls().filter((c) => /AccessEntry|AccessPolicy/.test(c.command)).map((c) => c.command)).toEqual(["CreateAccessEntry", "AssociateAccessPolicy"]);
    aws.fake.clearLog();
    expect((await rows()).changes.map((c) => c.action)).toEqual(["unchanged", "unchanged"]);
    await e.apply();
    expect(aws.fake.mutatingCalls().filter((c) => /AccessEntry|AccessPolicy/.test(c.command))).toEqual([]);
    await e.close();
  });

  it("edit rights only when the admin asks, added beside the view policy; another namespace's association is widened", async () => {
    const e = await engine(env, { steps });
    await e.apply();
    await e.close();
    const other = testSettings({ clusterAccess: "eks", clusterEditRights: true, namespace: "studio-two" });
    const step = await rows(other);
    expect(step.changes.map((c) => [c.id, c.action, c.reason])).toEqual([
      ["eks-access:entry", "unchanged", expect.stringMatching(/^access entry for .* exists/)],
      ["eks-access:policy:AmazonEKSViewPolicy", "update", "AmazonEKSViewPolicy is scoped to rasa: add studio-two"],
      ["eks-access:policy:AmazonEKSEditPolicy", "create", "AmazonEKSEditPolicy in namespace studio-two"],
    ]);
    expect(JSON.parse(step.changes[1].document!).accessScope.namespaces).toEqual(["rasa", "studio-two"]);
    expect(JSON.parse(step.changes[2].document!).policyArn).toBe(EDIT);
    // The CLI script prints the same rows.
    const facts = await observe(other);
    const { text: script } = renderCliScript(other, identityFacts(facts), buildPlan(other, facts));
    expect(script).toContain("aws eks associate-access-policy --cluster-name studio-eks");
    expect(script).toContain("type=namespace,namespaces=rasa,studio-two");
  });

  it("a cluster that authenticates only through aws-auth blocks the plan with the way out", async () => {
    aws.fake.state.regions["eu-west-1"].clusters["studio-eks"].authenticationMode = "CONFIG_MAP";
    const plan = buildPlan(env, await observe(env));
    const step = plan.steps.find((s) => s.key === "eks-access")!;
    expect(step.changes).toEqual([]);
    expect(step.blockers).toEqual([expect.stringMatching(/^EKS access entry: the cluster authenticates only through the aws-auth ConfigMap.*API_AND_CONFIG_MAP/)]);
  });

  it("the operator policy names the access-entry calls on the cluster and its access entries", () => {
    const doc = operatorPolicy({ settings: env, accountId: "111122223333" });
    const find = (action: string) => doc.Statement.filter((s) => ([] as string[]).concat(s.Action).includes(action)).flatMap((s) => s.Resource);
    expect(find("eks:CreateAccessEntry")).toEqual(["arn:aws:eks:eu-west-1:111122223333:cluster/studio-eks"]);
    expect(find("eks:AssociateAccessPolicy")).toEqual(["arn:aws:eks:eu-west-1:111122223333:access-entry/studio-eks/*"]);
    expect(JSON.stringify(operatorPolicy({ settings: testSettings(), accountId: "111122223333" }))).not.toContain("AccessEntry");
  });
});
