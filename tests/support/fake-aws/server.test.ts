// The double as the browser-test server wires it (server.ts, preload.ts): installed on the SDK packages as
// `require` loads them from the project, answering the REAL engine's discovery and the wizard's pickers,
// steered by the scenario file the specs write, and keeping the account in a state file that a new process
// (a restarted server, preloading through tsx) finds again.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { CreateRoleCommand, GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsCallError } from "@/lib/aws/errors";
import { listBuckets, listClusters, listDatabases } from "@/lib/aws/inventory";
import type { ObservedBucket } from "@/lib/aws/s3";
import { ObserveError } from "@/lib/steps/observe";
import { observe } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";
import type { FakeAws } from "./account";
import type { Scenario } from "./scenario";
import { installServerDouble } from "./server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-aws-server-"));
const scenarioFile = path.join(dir, "aws-scenario.json");
const stateFile = `${scenarioFile}.state.json`;
const env = testSettings();
let fake: FakeAws;
let resets = 0;

function setScenario(s: Scenario) {
  fs.writeFileSync(scenarioFile, JSON.stringify(s));
}
/** A fresh account for the next call, plus whatever else the test asks for. */
function freshAccount(extra: Scenario = {}) {
  setScenario({ reset: `r${++resets}`, ...extra });
}
const iam = () => new IAMClient({ region: "eu-west-1" });
const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: "sts:AssumeRole" }] });

beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID = "AKIDEXAMPLE";
  process.env.AWS_SECRET_ACCESS_KEY = "secret";
  fs.writeFileSync(scenarioFile, "{}");
  fake = installServerDouble({ root, scenarioFile });
});

afterAll(() => {
  fake.restore();
  globalThis.__fakeAws = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The engine's observation, in the shape these tests check; a failed read rejects with AWS's error itself. */
async function discoverEnvironment(settings: typeof env, opts: { signal?: AbortSignal } = {}) {
  try {
    const f = await observe(settings, opts);
    const discovered = f.discover as { cluster: unknown; database: unknown };
    return {
      identity: f.identity,
      cluster: discovered.cluster,
      database: discovered.database,
      oidcProvider: (f["oidc-provider"] as { provider: unknown }).provider,
      roles: { rds: f["rds-role"], s3: f["s3-role"] },
      bucket: f["s3-bucket"] as ObservedBucket,
    };
  } catch (e) {
    throw e instanceof ObserveError ? e.cause : e;
  }
}

describe("the double in a server process", () => {
  it("answers the real engine's discovery: identity, cluster, database; no provider, roles or bucket yet", async () => {
    freshAccount();
    const o = await discoverEnvironment(env);
    expect(o.identity).toEqual({ accountId: "111122223333", arn: "arn:aws:iam::111122223333:user/platform-admin", partition: "aws" });
    expect(o.cluster).toMatchObject({ name: "studio-eks", oidcIssuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE", status: "ACTIVE" });
    expect(o.database).toMatchObject({ kind: "instance", identifier: "studio-db", resourceId: "db-ABCDEFGHIJKLMNOPQRSTUVWXY1", iamAuthEnabled: false });
    expect(o.oidcProvider).toBeNull();
    expect(o.roles).toEqual({ rds: null, s3: null });
    expect(o.bucket).toEqual({ state: "missing", name: env.bucketName });
    expect(globalThis.__fakeAws).toBe(fake);
    expect(fake.counts.GetCallerIdentity).toBeGreaterThan(0);
  });

  it("answers the wizard's pickers in any region (made lazily), leaves Aurora members to their cluster, and heads a foreign bucket as foreign", async () => {
    freshAccount();
    expect(await listClusters("eu-central-1")).toEqual(["studio-eks"]);
    expect((await listDatabases("eu-central-1")).map((d) => `${d.kind}:${d.id}:${d.endpoint}`)).toEqual([
      "cluster:studio-aurora:studio-aurora.cluster-abc123.eu-central-1.rds.amazonaws.com",
      "instance:studio-db:studio-db.abc123.eu-central-1.rds.amazonaws.com",
    ]);
    expect(await listBuckets("eu-west-1")).toEqual([]);
    const o = await discoverEnvironment(testSettings({ bucketName: "someone-elses-bucket", dbIdentifier: "no-such-db" }));
    expect(o.bucket.state).toBe("foreign");
    expect(o.database).toBeNull();
  });

  it("failOnce fires once per failOnceId, worded as AWS words AccessDenied; a new id arms it again", async () => {
    freshAccount({ failOnce: { GetRole: "AccessDenied" }, failOnceId: "apply-1" });
    const err = (await discoverEnvironment(env).catch((e: unknown) => e)) as AwsCallError;
    expect(err).toBeInstanceOf(AwsCallError);
    expect(err).toMatchObject({ accessDenied: true, httpStatus: 403, action: "iam:GetRole" });
    expect(err.message).toContain(
      `User: arn:aws:iam::111122223333:user/platform-admin is not authorized to perform: iam:GetRole on resource: arn:aws:iam::111122223333:role/${env.rdsRoleName}`,
    );
    await expect(discoverEnvironment(env)).resolves.toMatchObject({ roles: { rds: null } });
    setScenario({ reset: `r${++resets}`, failOnce: { GetRole: "AccessDenied" }, failOnceId: "apply-1" });
    await expect(discoverEnvironment(env)).resolves.toMatchObject({ roles: { rds: null } });
    setScenario({ reset: `r${++resets}`, failOnce: { GetRole: "AccessDenied" }, failOnceId: "apply-2" });
    await expect(discoverEnvironment(env)).rejects.toMatchObject({ action: "iam:GetRole" });
  });

  it("failAlways holds until removed, with the service's own error class; throttle answers n calls with the service's code", async () => {
    freshAccount({ failAlways: { DescribeCluster: "AccessDenied", GetRole: "ServerError" } });
    for (let i = 0; i < 2; i++) {
      const err = (await discoverEnvironment(env).catch((e: unknown) => e)) as AwsCallError;
      expect(err.action).toBe("eks:DescribeCluster");
      expect(err.cause).toMatchObject({ name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } });
    }
    setScenario({ reset: `r${resets}`, failAlways: { GetRole: "ServerError" } });
    const err = (await discoverEnvironment(env).catch((e: unknown) => e)) as AwsCallError;
    expect(err.cause).toMatchObject({ name: "ServiceFailureException", $metadata: { httpStatusCode: 500 } });

    setScenario({ reset: `r${resets}`, throttle: { GetCallerIdentity: 2 }, failOnceId: "t1" });
    const sts = new STSClient({ region: "eu-west-1" });
    for (let i = 0; i < 2; i++) await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: "Throttling" });
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: "111122223333" });
  });

  it("delayMs: the bookkeeping is on disk before the wait, and a cancelled call stops waiting with the SDK's AbortError", async () => {
    freshAccount({ delayMs: { GetCallerIdentity: 600_000 } });
    const cancel = new AbortController();
    const pending = discoverEnvironment(env, { signal: cancel.signal });
    await expect.poll(() => fs.existsSync(stateFile) && JSON.parse(fs.readFileSync(stateFile, "utf8")).lastReset).toBe(`r${resets}`);
    cancel.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  it("keeps the account in the state file: a new process preloading the double (through tsx) finds it, and its changes come back", async () => {
    freshAccount();
    await iam().send(new CreateRoleCommand({ RoleName: "studio-staging-s3-role", AssumeRolePolicyDocument: TRUST }));
    const probe = path.join(dir, "probe.mjs");
    fs.writeFileSync(
      probe,
      `import { createRequire } from "node:module";
const require = createRequire(${JSON.stringify(path.join(root, "package.json"))});
const { IAMClient, GetRoleCommand, TagRoleCommand } = require("@aws-sdk/client-iam");
const iam = new IAMClient({ region: "eu-west-1" });
const role = await iam.send(new GetRoleCommand({ RoleName: "studio-staging-s3-role" }));
await iam.send(new TagRoleCommand({ RoleName: "studio-staging-s3-role", Tags: [{ Key: "seen-by", Value: "probe" }] }));
console.log(JSON.stringify({ arn: role.Role.Arn, calls: globalThis.__fakeAws.counts }));
`,
    );
    const out = execFileSync(process.execPath, ["--no-warnings", "--import", "tsx", "--import", pathToFileURL(path.join(root, "tests/support/fake-aws/preload.ts")).href, probe], {
      cwd: root,
      env: { ...process.env, E2E_AWS_SCENARIO: scenarioFile, NODE_OPTIONS: "" },
      encoding: "utf8",
    });
    expect(JSON.parse(out.trim().split("\n").at(-1)!)).toEqual({
      arn: "arn:aws:iam::111122223333:role/studio-staging-s3-role",
      calls: { GetRole: 1, TagRole: 1 },
    });
    const { Role } = await iam().send(new GetRoleCommand({ RoleName: "studio-staging-s3-role" }));
    expect(Role?.Tags).toEqual([{ Key: "seen-by", Value: "probe" }]);
    // The state on disk is the account as plain JSON.
    const saved = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    expect(saved.account).toEqual(fake.state);
  });
});
