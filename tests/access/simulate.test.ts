// The evaluator underneath the matrix: the pinned version, and the one place where the matrix steps around its
// context-key filter (EKS issuer keys), checked against the filtered path where both apply.
import fs from "node:fs";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import { ENGINE, evaluate, type SimulationRequest } from "@/lib/access/simulate";

const ROLE = "arn:aws:iam::111122223333:role/r";
const EKS = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const EKS_PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${EKS}`;

/** A trust policy for `host` (a provider the evaluator knows, or an EKS issuer it does not) and a token's claims. */
function tokenRequest(host: string, provider: string, sub: string): SimulationRequest {
  return {
    principal: provider,
    action: "sts:AssumeRoleWithWebIdentity",
    resource: ROLE,
    resourceAccount: "111122223333",
    context: { [`${host}:sub`]: sub, [`${host}:aud`]: "sts.amazonaws.com" },
    identityPolicies: [],
    resourcePolicy: {
      source: { kind: "trust", name: "r", label: "trust policy of r" },
      document: {
        Version: "2012-10-17",
        Statement: [
          { Sid: "Tokens", Effect: "Allow", Principal: { Federated: provider }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringLike: { [`${host}:sub`]: "team:*" }, StringEquals: { [`${host}:aud`]: "sts.amazonaws.com" } } },
          { Sid: "NotMallory", Effect: "Deny", Principal: { Federated: provider }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { [`${host}:sub`]: "team:mallory" } } },
        ],
      },
    },
  };
}

describe("the evaluator", () => {
  it("is the version package.json pins exactly", () => {
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
    expect(`@cloud-copilot/iam-simulate ${pkg.dependencies["@cloud-copilot/iam-simulate"]}`).toBe(ENGINE);
  });

  it("drops an EKS issuer's :sub and :aud keys in its checked run (why the matrix evaluates trust without the filter)", async () => {
    const req = tokenRequest(EKS, EKS_PROVIDER, "team:alice");
    const r = await runSimulation(
      {
        request: { principal: req.principal, action: req.action, resource: { resource: ROLE, accountId: "111122223333" }, contextVariables: req.context },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: req.resourcePolicy!.document,
      },
      {},
    );
    // When this fails, iam-data has learned the EKS keys and evaluate() no longer needs its unfiltered path.
    expect(r.resultType === "single" && r.result.ignoredContextKeys).toEqual([`${EKS}:sub`, `${EKS}:aud`]);
    expect(r.resultType === "single" && r.overallResult).toBe("ImplicitlyDenied");
  });

  it.each(["team:alice", "team:mallory", "other:bob"])(
    "answers a token for %s the same for an EKS issuer as for a provider it knows, naming the same statements",
    async (sub) => {
      // Same provider ARN (same account, so the trust policy alone decides); only the claim keys differ.
      const known = await evaluate(tokenRequest("accounts.google.com", EKS_PROVIDER, sub));
      const eks = await evaluate(tokenRequest(EKS, EKS_PROVIDER, sub));
      expect(known.ignoredContextKeys).toEqual([]);
      expect(eks).toEqual(known);
    },
  );

  it("names the deciding statements: allow by Sid, explicit deny by Sid, implicit deny by the whole policy", async () => {
    expect(await evaluate(tokenRequest(EKS, EKS_PROVIDER, "team:alice"))).toMatchObject({ decision: "allowed", decidedBy: [{ sid: "Tokens", index: 1 }] });
    expect(await evaluate(tokenRequest(EKS, EKS_PROVIDER, "team:mallory"))).toMatchObject({
      decision: "denied",
      denial: "explicit",
      decidedBy: [{ sid: "NotMallory", index: 2 }],
    });
    const implicit = await evaluate(tokenRequest(EKS, EKS_PROVIDER, "other:bob"));
    expect(implicit).toMatchObject({ decision: "denied", denial: "implicit" });
    expect(implicit.decidedBy).toEqual([{ source: { kind: "trust", name: "r", label: "trust policy of r" } }]);
  });
});
