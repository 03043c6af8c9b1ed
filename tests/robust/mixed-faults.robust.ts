// Mixed faults over whole applies: a seeded 20% of ALL AWS calls of a fresh apply (reads and writes) are
// throttled, answered with HTTP 500, reset before they reach the service, or lose their response after the
// service acted. The calls go through the SDK's real retry (the double answers below the retry middleware, with
// the errors the SDK classifies as throttling or transient), the real job service and the real steps. Each apply
// must succeed, converge (a verify run passes, a fresh plan wants nothing) and create nothing twice. A lost answer
// to a create is the hard case: the retry meets "already exists" (role, bucket) or "not available" (RDS busy
// with the first request), and the step must recognise its own earlier request. Then AccessDenied on one chosen
// call fails that step naming the action, and a retry once the permission is there succeeds. Part of
// `npm run test:robust`.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { STEPS } from "@/lib/steps";
import { fakeAwsPerTest } from "@/tests/support/fake-aws";
import type { Service } from "@/tests/support/fake-aws/errors";
import type { CallFault, CallFaultPicker } from "@/tests/support/fake-aws/faults";
import { seededFaults } from "@/tests/support/fake-aws/seeded-faults";
import { engine, planOf, type Engine } from "@/tests/support/engine";
import { testSettings } from "@/tests/support/settings";

const aws = fakeAwsPerTest();
const settings = testSettings();
// No database here: the grants step is proven against PostgreSQL in tests/postgres.
const steps = STEPS.filter((s) => s.key !== "db-grants");
const SERVICES: Service[] = ["sts", "eks", "rds", "iam", "s3", "kms"];
const KINDS: CallFault[] = ["Throttle", "ServerError", "ConnectionReset", "LostResponse"];
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
/** Fault counts per kind over all seeds, for the check that every kind was exercised. */
const seen: Record<string, number> = {};

let e: Engine | undefined;
beforeEach(() => {
  // The mock wiring replaces `send` and would bypass the SDK's retry: every service is answered below it instead.
  for (const s of SERVICES) aws.fake.routeThroughSdk(s);
  process.env.RDS_POLL_INTERVAL_MS = "5";
});
afterEach(async () => {
  delete process.env.RDS_POLL_INTERVAL_MS;
  await e?.close();
  e = undefined;
});

/** What the account holds before the apply (it starts with someone else's bucket). */
function inventory() {
  return { providers: [...aws.fake.providers.keys()], roles: [...aws.fake.roles.keys()], buckets: [...aws.fake.buckets.keys()] };
}

/** Everything in place, each thing once: a verify run passes and a fresh plan (no faults) wants nothing. */
async function expectConverged(engine: Engine, before: ReturnType<typeof inventory>) {
  const verify = await engine.verify();
  expect([verify.view.status, verify.view.error]).toEqual(["succeeded", null]);
  aws.fake.pickFault = undefined;
  const { plan } = await planOf(settings, steps);
  expect(plan.steps.flatMap((s) => s.changes.filter((c) => c.action !== "unchanged").map((c) => `${s.key}: ${c.call}`))).toEqual([]);
  const now = inventory();
  const added = (k: keyof typeof now) => now[k].filter((x) => !before[k].includes(x)).sort();
  expect(added("providers")).toHaveLength(1);
  expect(added("roles")).toEqual([settings.rdsRoleName, settings.s3RoleName].sort());
  expect(added("buckets")).toEqual([settings.bucketName]);
}

describe("mixed faults over a whole apply", () => {
  it.each(SEEDS)("seed %i: a fifth of all calls throttled, 5xx, reset or answer lost: the apply succeeds, converges, creates nothing twice", async (seed) => {
    e = await engine(settings, { steps });
    const before = inventory();
    aws.fake.pickFault = seededFaults({ seed, rate: 0.2, kinds: KINDS });
    const { view, logs } = await e.apply();
    const failures = logs.filter((l) => l.level === "error").map((l) => l.message);
    expect([view.status, view.error, failures]).toEqual(["succeeded", null, []]);
    // Calls as the SDK sent them: those the account saw plus those reset on the way.
    const picked = [...aws.fake.picked];
    const sent = aws.fake.calls().length + picked.filter((p) => p.fault === "ConnectionReset").length;
    for (const k of KINDS) seen[k] = (seen[k] ?? 0) + picked.filter((p) => p.fault === k).length;
    console.log(`seed ${seed}: ${picked.length} of ${sent} calls faulted:`, Object.fromEntries(KINDS.map((k) => [k, picked.filter((p) => p.fault === k).length])));
    // The schedule really is about a fifth (a seed that faulted nothing would prove nothing).
    expect(picked.length / sent).toBeGreaterThan(0.05);
    await expectConverged(e, before);
  });

  it("over the seeds, every kind of fault happened", () => {
    console.log("faults over all seeds:", seen);
    for (const k of KINDS) expect(seen[k], k).toBeGreaterThan(0);
  });

  it("the answer to every creating call lost once (the role, the bucket, the OIDC provider, the RDS modification): each step knows its own request", async () => {
    const CREATES = new Set(["CreateOpenIDConnectProvider", "CreateRole", "CreateBucket", "ModifyDBInstance"]);
    const lost = new Set<string>();
    const loseFirst: CallFaultPicker = ({ command, input }) => {
      const key = `${command} ${JSON.stringify(input)}`;
      if (!CREATES.has(command) || lost.has(key)) return undefined;
      lost.add(key);
      return "LostResponse";
    };
    e = await engine(settings, { steps });
    const before = inventory();
    aws.fake.pickFault = loseFirst;
    const { view, logs } = await e.apply();
    expect([view.status, view.error]).toEqual(["succeeded", null]);
    expect(aws.fake.picked.map((p) => p.command).sort()).toEqual(["CreateBucket", "CreateOpenIDConnectProvider", "CreateRole", "CreateRole", "ModifyDBInstance"]);
    // Said in the log, not hidden.
    const said = logs.map((l) => l.message);
    expect(said.filter((m) => m.includes("(an earlier iam:CreateRole was accepted, its answer lost): used as created"))).toHaveLength(2);
    expect(said.some((m) => /rds:ModifyDBInstance answered InvalidDBInstanceState.*an earlier attempt of this request was accepted, its answer lost/.test(m))).toBe(true);
    await expectConverged(e, before);
  });

  it("AccessDenied on one chosen call (among mixed faults) fails that step naming the action; with the permission granted, a retry succeeds", async () => {
    e = await engine(settings, { steps });
    const before = inventory();
    aws.fake.pickFault = seededFaults({ seed: 1, rate: 0.2, kinds: KINDS });
    aws.fake.deny("PutBucketVersioning");
    const { view } = await e.apply();
    expect(view.status).toBe("failed");
    const failed = view.steps.filter((s) => s.status === "failed");
    expect(failed.map((s) => s.key)).toEqual(["s3-bucket"]);
    expect(failed[0].error).toMatch(/^access denied: .* is not allowed to call s3:PutBucketVersioning\. Grant s3:PutBucketVersioning/);
    expect(aws.fake.buckets.get(settings.bucketName)?.versioning).toBeUndefined();

    aws.fake.faults.clear();
    await e.jobs.retryStep(view.id, "s3-bucket", "ada");
    const retried = (await e.jobs.waitForRun(view.id))!;
    expect([retried.status, retried.error]).toEqual(["succeeded", null]);
    expect(aws.fake.buckets.get(settings.bucketName)?.versioning).toBe("Enabled");
    await expectConverged(e, before);
  });
});
