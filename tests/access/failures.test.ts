// What the matrix exists for: documents that are not what the console intends make it fail, with the reason and
// the statement that let (or kept) someone in.
import { describe, expect, it } from "vitest";
import { evaluateAccessMatrix, type AccessMatrixInput, type RoleDocumentsInput } from "@/lib/access";
import { oidcProviderArn } from "@/lib/policies/arn";
import { bucketPolicy } from "@/lib/policies/bucket-policy";
import { rdsConnectPolicy } from "@/lib/policies/rds-connect-policy";
import { trustPolicy } from "@/lib/policies/trust-policy";
import { ACCOUNT, BUCKET, consoleEnvironment, iamEncoded, issuerOf, NAMESPACE, RESOURCE_IDS, row } from "./fixtures";

const ADMIN = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

function withRole(env: AccessMatrixInput, kind: "rds" | "s3", change: Partial<RoleDocumentsInput>): AccessMatrixInput {
  return { ...env, roles: { ...env.roles, [kind]: { ...env.roles[kind], ...change } } };
}

describe("the RDS role's policy", () => {
  it.each([
    ["another database's resource id", "db-ZZZZZZZZZZZZZZZZZZZZZZZZZZ"],
    ["the Aurora cluster's id where the instance's belongs", "cluster-ABCDEFGHIJKLMNOPQRSTUVWX"],
  ])("names %s: the IAM user's login is denied and the matrix fails", async (_what, wrongId) => {
    const env = consoleEnvironment();
    const dbKind = wrongId.startsWith("cluster-") ? "cluster" : "instance";
    const wrong = rdsConnectPolicy({ partition: "aws", region: "eu-west-1", accountId: ACCOUNT, dbKind, resourceId: wrongId, dbUser: "studio_iam_user" });
    const m = await evaluateAccessMatrix(withRole(env, "rds", { inlinePolicies: [{ name: "studio-rds-db-connect", document: iamEncoded(wrong) }] }));
    expect(m.ok).toBe(false);
    expect(row(m, "connect-iam-user")).toMatchObject({
      decision: "denied",
      intent: "allow",
      verdict: "fail",
      note: "intended but denied",
      reason: "denied: nothing in the inline policy studio-rds-db-connect of studio-staging-rds-role allows it",
    });
    expect(m.edges.find((e) => e.rowIds.includes("connect-iam-user"))).toMatchObject({ state: "missing", rowId: "connect-iam-user" });
  });

  it("the guide's dbuser:<instance name>/* grant: the login is denied (wrong id) and nothing else is reachable", async () => {
    const guide = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["rds-db:connect"], Resource: [`arn:aws:rds-db:eu-west-1:${ACCOUNT}:dbuser:studio-db/*`] }],
    };
    const m = await evaluateAccessMatrix(withRole(consoleEnvironment(), "rds", { inlinePolicies: [{ name: "guide", document: guide }] }));
    expect(row(m, "connect-iam-user").verdict).toBe("fail");
    expect(row(m, "connect-master-user")).toMatchObject({ decision: "denied", verdict: "pass" });
    expect(m.ok).toBe(false);
  });

  it("dbuser:<id>/* lets the role log in as the master user and anyone else: allowed but not intended", async () => {
    const star = {
      Version: "2012-10-17",
      Statement: [{ Sid: "AnyUser", Effect: "Allow", Action: "rds-db:connect", Resource: `arn:aws:rds-db:eu-west-1:${ACCOUNT}:dbuser:${RESOURCE_IDS.instance}/*` }],
    };
    const m = await evaluateAccessMatrix(withRole(consoleEnvironment(), "rds", { inlinePolicies: [{ name: "wide", document: star }] }));
    for (const id of ["connect-master-user", "connect-other-user"]) {
      const r = row(m, id);
      expect(r).toMatchObject({ decision: "allowed", verdict: "fail", note: "allowed but not intended" });
      expect(r.reason).toBe('allowed by statement 1 "AnyUser" of the inline policy wide of studio-staging-rds-role');
    }
    expect(row(m, "connect-other-database").verdict).toBe("pass");
    expect(m.edges.find((e) => e.rowIds.includes("connect-master-user"))?.state).toBe("unintended");
  });
});

describe("a broad attached policy", () => {
  it("AdministratorAccess on the S3 role: every unexpected question is allowed, each naming the managed policy; the finding says why", async () => {
    const env = withRole(consoleEnvironment(), "s3", {
      attachedPolicies: [{ name: "AdministratorAccess", arn: "arn:aws:iam::aws:policy/AdministratorAccess", document: iamEncoded(ADMIN) }],
    });
    const m = await evaluateAccessMatrix(env);
    expect(m.ok).toBe(false);
    const unexpected = m.rows.filter((r) => r.id.startsWith("unexpected-s3-"));
    expect(unexpected.length).toBeGreaterThan(2);
    for (const r of unexpected) {
      expect(r).toMatchObject({ decision: "allowed", verdict: "fail", note: "allowed but not intended" });
      expect(r.decidedBy.map((d) => d.source.label)).toContain("managed policy AdministratorAccess");
    }
    // The S3 role now reaches the database too.
    expect(row(m, "connect-s3-role")).toMatchObject({ decision: "allowed", verdict: "fail" });
    // …but the TLS deny still holds: an explicit Deny beats any Allow.
    expect(row(m, "s3-insecure-get")).toMatchObject({ decision: "denied", verdict: "pass" });
    expect(m.findings).toContainEqual({
      severity: "fail",
      message: 'studio-staging-s3-role may do anything: the managed policy AdministratorAccess allows every action ("*")',
      statement: {
        source: { kind: "managed", name: "AdministratorAccess", arn: "arn:aws:iam::aws:policy/AdministratorAccess", label: "managed policy AdministratorAccess" },
        index: 1,
      },
    });
    // The RDS role is untouched.
    expect(m.rows.filter((r) => r.id.startsWith("unexpected-rds-")).every((r) => r.verdict === "pass")).toBe(true);
  });

  it("NotAction and service-wide actions are reported too", async () => {
    const doc = {
      Version: "2012-10-17",
      Statement: [
        { Sid: "AllButIam", Effect: "Allow", NotAction: "iam:*", Resource: "*" },
        { Sid: "AllS3", Effect: "Allow", Action: "s3:*", Resource: "*" },
      ],
    };
    const m = await evaluateAccessMatrix(withRole(consoleEnvironment(), "rds", { inlinePolicies: [{ name: "copied", document: doc }] }));
    expect(m.findings.map((f) => [f.severity, f.message])).toEqual([
      ["fail", "studio-staging-rds-role may do almost anything: the inline policy copied of studio-staging-rds-role allows every action except iam:* (NotAction)"],
      ["warn", "the inline policy copied of studio-staging-rds-role allows every s3 action (s3:*), more than studio-staging-rds-role needs"],
    ]);
    expect(row(m, "unexpected-rds-get-secret")).toMatchObject({ decision: "allowed", verdict: "fail" });
    expect(row(m, "unexpected-rds-put-role-policy")).toMatchObject({ decision: "denied", verdict: "pass" });
    expect(row(m, "s3-rds-role-get")).toMatchObject({ decision: "allowed", verdict: "fail" });
  });

  it("a permissions boundary that allows only the console's actions keeps an attached AdministratorAccess in check", async () => {
    const boundary = {
      Version: "2012-10-17",
      Statement: [{ Sid: "StudioOnly", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads", "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], Resource: "*" }],
    };
    const env = withRole(consoleEnvironment(), "s3", {
      attachedPolicies: [{ name: "AdministratorAccess", arn: "arn:aws:iam::aws:policy/AdministratorAccess", document: ADMIN }],
      permissionsBoundary: { arn: `arn:aws:iam::${ACCOUNT}:policy/studio-boundary`, document: iamEncoded(boundary) },
    });
    const m = await evaluateAccessMatrix(env);
    for (const r of m.rows.filter((x) => x.id.startsWith("unexpected-s3-"))) {
      expect(r).toMatchObject({ decision: "denied", verdict: "pass" });
      expect(r.reason).toMatch(/^denied: nothing in (the bucket policy of studio-shared-storage-staging and )?the permissions boundary studio-boundary allows it$/);
    }
    expect(row(m, "s3-getobject").decidedBy.map((d) => d.source.kind)).toEqual(["inline", "managed", "bucket", "boundary"]);
    // The statement is still broader than it should be: reported, even though the boundary holds.
    expect(m.findings.some((f) => f.severity === "fail" && f.message.includes("AdministratorAccess"))).toBe(true);
  });

  it("a boundary that forgets an action the model service needs fails that action, naming the boundary", async () => {
    const boundary = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: "*" }] };
    const env = withRole(consoleEnvironment(), "s3", { permissionsBoundary: { arn: `arn:aws:iam::${ACCOUNT}:policy/narrow`, document: boundary } });
    const m = await evaluateAccessMatrix(env);
    expect(row(m, "s3-getobject").verdict).toBe("pass");
    expect(row(m, "s3-putobject")).toMatchObject({ decision: "denied", verdict: "fail", reason: "denied: nothing in the permissions boundary narrow allows it" });
  });

  it("an explicit Deny in the role's own policy is named with its Sid", async () => {
    const env = consoleEnvironment();
    const deny = { Version: "2012-10-17", Statement: [{ Sid: "NoDeletes", Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" }] };
    const m = await evaluateAccessMatrix(withRole(env, "s3", { inlinePolicies: [...env.roles.s3.inlinePolicies, { name: "guard", document: deny }] }));
    expect(row(m, "s3-deleteobject")).toMatchObject({
      decision: "denied",
      denial: "explicit",
      verdict: "fail",
      reason: 'explicitly denied by statement 1 "NoDeletes" of the inline policy guard of studio-staging-s3-role',
    });
  });
});

describe("the bucket policy", () => {
  it("without the TLS deny: requests over plain HTTP are allowed, the rows fail and say the deny is missing", async () => {
    const s3RoleArn = `arn:aws:iam::${ACCOUNT}:role/studio-staging-s3-role`;
    const doc = bucketPolicy({ partition: "aws", bucketName: BUCKET, s3RoleArn });
    doc.Statement = doc.Statement.filter((s) => s.Sid !== "DenyInsecureTransport");
    const m = await evaluateAccessMatrix({ ...consoleEnvironment(), bucketPolicy: JSON.stringify(doc) });
    expect(m.ok).toBe(false);
    expect(m.findings).toEqual([{ severity: "fail", message: `the bucket policy of ${BUCKET} has no Deny for aws:SecureTransport = false` }]);
    for (const id of ["s3-insecure-get", "s3-insecure-list"])
      expect(row(m, id)).toMatchObject({
        decision: "allowed",
        verdict: "fail",
        note: `allowed but not intended: the bucket policy of ${BUCKET} has no Deny for aws:SecureTransport = false`,
      });
  });

  it("a TLS deny that covers the objects but not the bucket fails the bucket-level row only", async () => {
    const s3RoleArn = `arn:aws:iam::${ACCOUNT}:role/studio-staging-s3-role`;
    const doc = bucketPolicy({ partition: "aws", bucketName: BUCKET, s3RoleArn });
    doc.Statement[2] = { ...doc.Statement[2], Resource: [`arn:aws:s3:::${BUCKET}/*`] };
    const m = await evaluateAccessMatrix({ ...consoleEnvironment(), bucketPolicy: doc });
    expect(row(m, "s3-insecure-get").verdict).toBe("pass");
    expect(row(m, "s3-insecure-list")).toMatchObject({ decision: "allowed", verdict: "fail" });
  });

  it("no bucket policy at all: reported; the role's own policy still grants, plain HTTP included", async () => {
    const m = await evaluateAccessMatrix({ ...consoleEnvironment(), bucketPolicy: null });
    expect(m.findings).toContainEqual({ severity: "fail", message: `the bucket ${BUCKET} has no bucket policy: nothing denies requests without TLS` });
    expect(row(m, "s3-getobject")).toMatchObject({ decision: "allowed", verdict: "pass" });
    expect(row(m, "s3-insecure-get")).toMatchObject({
      decision: "allowed",
      verdict: "fail",
      note: `allowed but not intended: the bucket ${BUCKET} has no bucket policy: nothing denies requests without TLS`,
    });
    expect(m.ok).toBe(false);
  });

  it("an unconditional grant to everyone is reported", async () => {
    const s3RoleArn = `arn:aws:iam::${ACCOUNT}:role/studio-staging-s3-role`;
    const doc = bucketPolicy({ partition: "aws", bucketName: BUCKET, s3RoleArn });
    doc.Statement.push({ Sid: "Public", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` });
    const m = await evaluateAccessMatrix({ ...consoleEnvironment(), bucketPolicy: JSON.stringify(doc) });
    expect(m.findings).toEqual([
      expect.objectContaining({ severity: "warn", statement: expect.objectContaining({ sid: "Public", index: 4 }) }),
    ]);
  });
});

describe("the trust policy", () => {
  const issuer = issuerOf("eu-west-1");
  const provider = oidcProviderArn("aws", ACCOUNT, issuer);

  it("drifted to the guide's audience-only check while the environment says service-accounts: the strangers get in and fail", async () => {
    const guide = trustPolicy({ oidcProviderArn: provider, oidcIssuer: issuer, scope: "cluster", namespace: NAMESPACE, serviceAccounts: [] });
    const m = await evaluateAccessMatrix(withRole(consoleEnvironment(), "rds", { trustPolicy: iamEncoded(guide) }));
    expect(m.ok).toBe(false);
    for (const id of ["assume-rds-other-service-account", "assume-rds-other-namespace"])
      expect(row(m, id)).toMatchObject({ decision: "allowed", intent: "deny", verdict: "fail", note: "allowed but not intended" });
    expect(row(m, "assume-rds-other-cluster").verdict).toBe("pass");
  });

  it("missing one of the intended service accounts: that one fails", async () => {
    const partial = trustPolicy({ oidcProviderArn: provider, oidcIssuer: issuer, scope: "service-accounts", namespace: NAMESPACE, serviceAccounts: ["studio-backend"] });
    const m = await evaluateAccessMatrix(withRole(consoleEnvironment(), "rds", { trustPolicy: partial }));
    expect(row(m, "assume-rds-studio-backend").verdict).toBe("pass");
    expect(row(m, "assume-rds-studio-database-migration")).toMatchObject({ decision: "denied", verdict: "fail", note: "intended but denied" });
  });

  it("an explicit Deny statement for a token is named (statement 2), even though statement 1 allows it", async () => {
    const host = issuer.replace("https://", "");
    const doc = trustPolicy({ oidcProviderArn: provider, oidcIssuer: issuer, scope: "namespace", namespace: NAMESPACE, serviceAccounts: [] });
    doc.Statement.push({
      Sid: "NotTheDefaultAccount",
      Effect: "Deny",
      Principal: { Federated: provider },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${host}:sub`]: "system:serviceaccount:rasa:default" } },
    });
    const m = await evaluateAccessMatrix(withRole(consoleEnvironment({ scope: "namespace" }), "rds", { trustPolicy: doc }));
    expect(row(m, "assume-rds-other-service-account")).toMatchObject({
      decision: "denied",
      denial: "explicit",
      verdict: "pass",
      reason: 'explicitly denied by statement 2 "NotTheDefaultAccount" of the trust policy of studio-staging-rds-role',
    });
    expect(row(m, "assume-rds-studio-backend")).toMatchObject({
      decision: "allowed",
      reason: 'allowed by statement 1 "AllowStudioServiceAccountsWebIdentity" of the trust policy of studio-staging-rds-role',
    });
  });
});

describe("the KMS key", () => {
  it("a key policy that does not delegate to IAM: the S3 role cannot use the key, the rows fail", async () => {
    const env = consoleEnvironment({ kms: true });
    const adminsOnly = {
      Version: "2012-10-17",
      Statement: [{ Sid: "KeyAdmins", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/KeyAdmin` }, Action: "kms:*", Resource: "*" }],
    };
    const m = await evaluateAccessMatrix({ ...env, kms: { keyArn: env.kms!.keyArn, keyPolicy: adminsOnly } });
    expect(row(m, "kms-decrypt")).toMatchObject({ decision: "denied", verdict: "fail" });
    expect(row(m, "kms-rds-role-decrypt").verdict).toBe("pass");
  });

  it("a key whose policy was not read: no key questions, and a warning says the key is not proven", async () => {
    const env = consoleEnvironment({ kms: true });
    const m = await evaluateAccessMatrix({ ...env, kms: { keyArn: env.kms!.keyArn, keyPolicy: null } });
    expect(m.rows.some((r) => r.group === "key")).toBe(false);
    expect(m.findings).toEqual([{ severity: "warn", message: `the key policy of ${env.kms!.keyArn} was not read: what the key allows is not proven here` }]);
    expect(m.ok).toBe(true);
  });
});
