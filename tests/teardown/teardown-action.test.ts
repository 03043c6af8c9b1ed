// The teardown page's action through the real action wrapper, job service and audit: viewers are refused (and the
// refusal audited), the environment's name must be typed, a wrong bucket name is refused, and an admin's teardown
// runs the reviewed deletes and is audited twice: what was planned when it started, what was removed when it ended.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createJobService, type JobService } from "@/lib/jobs";
import { managedTags } from "@/lib/aws/tags";
import { STEPS } from "@/lib/steps";
import { TEARDOWN_STEPS } from "@/lib/teardown";
import { planTeardown } from "@/lib/teardown/plan";
import { fakeAwsPerTest } from "@/tests/support/fake-aws";
import { routeDbPerTest } from "@/tests/support/route-db";
import { testSettings, VALID_SETTINGS } from "@/tests/support/settings";

vi.mock("@/lib/db", () => import("@/tests/support/route-db").then((m) => m.dbModule));
const who = vi.hoisted(() => ({ role: "admin", jobs: undefined as unknown }));
vi.mock("@/lib/auth/current", () => ({ getCurrentUser: async () => ({ id: "u1", username: "ada", role: who.role }) }));
vi.mock("@/lib/jobs/service", () => ({ getJobService: () => who.jobs }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const t = routeDbPerTest();
const aws = fakeAwsPerTest();
const settings = testSettings();
const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] };
const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] };

let jobs: JobService;
beforeEach(() => {
  who.role = "admin";
  jobs = createJobService({ db: t.db, steps: STEPS, teardownSteps: TEARDOWN_STEPS, heartbeatMs: 50 });
  who.jobs = jobs;
  // What an apply left: the two roles with their inline policies, tagged for staging; someone else's role.
  aws.fake.addRole(settings.rdsRoleName, trust, { "studio-rds-db-connect": doc }, managedTags("staging"));
  aws.fake.addRole(settings.s3RoleName, trust, { "studio-s3-model-storage": doc }, managedTags("staging"));
  aws.fake.addRole("ci-runner", trust);
});

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

async function environment() {
  return t.db.environment.create({ data: { name: "staging", settings: JSON.stringify(VALID_SETTINGS) } });
}

async function reviewed() {
  return JSON.stringify((await planTeardown(settings)).reviewed);
}

describe("planning a teardown", () => {
  it("is for admins: a viewer is refused; an admin gets every delete and what is kept, audited, nothing changed", async () => {
    const { planTeardownAction } = await import("@/app/(console)/environments/[id]/teardown/actions");
    const env = await environment();
    who.role = "viewer";
    expect(await planTeardownAction(env.id)).toEqual({ ok: false, message: "Forbidden: planning a teardown requires the admin role." });
    expect(aws.fake.calls()).toEqual([]);
    who.role = "admin";
    const state = await planTeardownAction(env.id);
    expect(state.ok).toBe(true);
    const teardown = (state as { teardown?: { deletes: number; kept: number; reviewed: string[]; cli: string } }).teardown!;
    expect(teardown.deletes).toBe(4);
    expect(teardown.reviewed).toHaveLength(4);
    expect(teardown.cli).toContain("aws iam delete-role --role-name studio-staging-rds-role");
    expect(aws.fake.mutatingCalls()).toEqual([]);
    const events = await t.db.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(events.map((e) => [e.action, e.detail])).toEqual([
      ["action.refused", expect.any(String)],
      ["teardown.plan", JSON.stringify({ deletes: 4, kept: teardown.kept })],
    ]);
  });
});

describe("the teardown action", () => {
  it("refuses a viewer, audits the refusal, starts nothing", async () => {
    const { startTeardownAction } = await import("@/app/(console)/environments/[id]/teardown/actions");
    const env = await environment();
    who.role = "viewer";
    expect(await startTeardownAction(env.id, {}, form({ confirmEnvironment: "staging", reviewed: await reviewed() }))).toEqual({
      ok: false,
      message: "Forbidden: removing what the console created requires the admin role.",
    });
    expect(await t.db.run.count()).toBe(0);
    const events = await t.db.auditEvent.findMany();
    expect(events.map((e) => [e.actor, e.action, e.environmentId])).toEqual([["ada", "action.refused", env.id]]);
    expect(aws.fake.mutatingCalls()).toEqual([]);
  });

  it("needs the environment's name typed, and the bucket's name right when given", async () => {
    const { startTeardownAction } = await import("@/app/(console)/environments/[id]/teardown/actions");
    const env = await environment();
    const plan = await reviewed();
    expect(await startTeardownAction(env.id, {}, form({ confirmEnvironment: "Staging", reviewed: plan }))).toEqual({
      ok: false,
      errors: { confirmEnvironment: ['must be "staging" to remove what the console created for it'] },
    });
    expect(await startTeardownAction(env.id, {}, form({ confirmEnvironment: "staging", confirmBucket: "other", reviewed: plan }))).toMatchObject({
      ok: false,
      errors: { confirmBucket: [expect.stringMatching(/^must be "studio-shared-storage-staging" to delete the bucket/)] },
    });
    expect(await startTeardownAction(env.id, {}, form({ confirmEnvironment: "staging", reviewed: "not json" }))).toEqual({
      ok: false,
      message: "The reviewed teardown plan did not come with the form: plan the teardown again.",
    });
    expect(await t.db.run.count()).toBe(0);
  });

  it("an admin's teardown runs the reviewed deletes and is audited with what was planned and what was removed", async () => {
    const { startTeardownAction } = await import("@/app/(console)/environments/[id]/teardown/actions");
    const env = await environment();
    await expect(startTeardownAction(env.id, {}, form({ confirmEnvironment: "staging", reviewed: await reviewed() }))).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT;.*;\/runs\/[^;]+;/),
    });
    const run = await t.db.run.findFirstOrThrow();
    expect([run.kind, run.actor]).toEqual(["teardown", "ada"]);
    const view = await jobs.waitForRun(run.id);
    expect(view?.status).toBe("succeeded");
    expect([...aws.fake.roles.keys()]).toEqual(["ci-runner"]);
    const events = await t.db.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["run.teardown", "run.teardown-ended"]);
    const planned = JSON.parse(events[0].detail!);
    expect(planned).toEqual({
      runId: run.id,
      planned: [
        "teardown-roles:studio-staging-rds-role:policy:studio-rds-db-connect",
        "teardown-roles:studio-staging-rds-role:role",
        "teardown-roles:studio-staging-s3-role:policy:studio-s3-model-storage",
        "teardown-roles:studio-staging-s3-role:role",
      ],
    });
    const ended = JSON.parse(events[1].detail!);
    expect(ended).toEqual({ runId: run.id, status: "succeeded", removed: planned.planned });
  });
});
