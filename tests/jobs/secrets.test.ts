// Secrets leave early: a run's secrets reach its steps, then are wiped when it ends; whatever a step logs,
// checkpoints, hands back or throws, while reading or executing, no secret reaches the job store (not even the
// SQLite file's bytes) or an event.
import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { createJobService, REDACTED, type RunEvent } from "@/lib/jobs";
import { createRedactor } from "@/lib/jobs/secrets";
import type { RunSecrets } from "@/lib/steps/types";
import { openTestDb, type TestDb } from "../support/test-db";
import { testSettings } from "../support/settings";
import { changeId, createEnvironment, FakeCloud, fakeStep } from "./support/fakes";
import { startApply } from "./support/plan";

let t: TestDb | undefined;
afterEach(async () => t?.close());

const PASSWORD = "Tr0ub4dor&3 horse/battery";
const FORMS = [PASSWORD, encodeURIComponent(PASSWORD)];

function fileBytes(file: string): string {
  return [file, `${file}-wal`, `${file}-shm`]
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f).toString("latin1"))
    .join("\n");
}

/** Everything the store holds, and what the events carried, as one text to search. */
async function everything(db: TestDb["db"], extra: unknown) {
  return JSON.stringify({
    runs: await db.run.findMany(),
    steps: await db.stepRun.findMany(),
    logs: await db.runLog.findMany(),
    plans: await db.plan.findMany(),
    extra,
  });
}

describe("secrets", () => {
  it("redacts every form of a secret", () => {
    const redact = createRedactor({ dbAdminPassword: 'p"w&x', dbAdminUser: "postgres" });
    expect(redact('login postgres:p"w&x / p%22w%26x / "p\\"w&x"')).toBe(
      `login postgres:${REDACTED} / ${REDACTED} / "${REDACTED}"`,
    );
    expect(createRedactor({})("unchanged")).toBe("unchanged");
  });

  it("never writes a secret to the store, the logs, errors or events, and wipes it when the run ends", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    let seen: RunSecrets | undefined;
    let attempts = 0;
    const steps = [
      fakeStep("db-grants", new FakeCloud(), [], {
        async execute(ctx, _name, make) {
          attempts++;
          seen = ctx.secrets;
          const password = ctx.secrets.dbAdminPassword ?? "";
          await ctx.log("info", `connecting as ${ctx.secrets.dbAdminUser} with password ${password}`);
          await ctx.log("info", `postgres://postgres:${encodeURIComponent(password)}@db:5432/studio`, `req-${password}`);
          await ctx.checkpoint({ dsn: `postgres://postgres:${password}@db/studio` });
          if (attempts === 1) throw new Error(`password authentication failed for "${password}"`);
          const made = await make();
          return { ...made, output: { granted: true, echoed: password }, message: `granted with ${password}` };
        },
      }),
    ];
    const jobs = createJobService({ db: t.db, steps });
    const caller: RunSecrets = { dbAdminUser: "postgres", dbAdminPassword: PASSWORD };
    const { runId } = await startApply(jobs, t.db, env.id, steps, { secrets: caller });
    const events: RunEvent[] = [];
    jobs.subscribe(runId, (e) => events.push(e));
    const failed = await jobs.waitForRun(runId);

    expect(failed?.status).toBe("failed");
    expect(failed?.steps[0].error).toBe(`password authentication failed for "${REDACTED}"`);
    expect(failed?.steps[0].output).toMatchObject({ partial: { [changeId("db-grants")]: { dsn: `postgres://postgres:${REDACTED}@db/studio` } } });
    // The step had the secret while it ran; the run's copy is wiped now, the caller's object is untouched.
    expect(seen).toEqual({});
    expect(caller.dbAdminPassword).toBe(PASSWORD);

    // A retry gets only the secrets it is given: here again, and it ends wiped too.
    await jobs.retryStep(runId, "db-grants", "ada", { dbAdminPassword: PASSWORD });
    const done = await jobs.waitForRun(runId);
    expect(done?.status).toBe("succeeded");
    expect(done?.steps[0].output).toMatchObject({ results: { [changeId("db-grants")]: { granted: true, echoed: REDACTED } } });
    expect(seen).toEqual({});

    const logs = await jobs.logsSince(runId);
    expect(logs.map((l) => l.message)).toContain(`connecting as postgres with password ${REDACTED}`);
    expect(logs.map((l) => l.message)).toContain(`postgres://postgres:${REDACTED}@db:5432/studio`);
    expect(logs.map((l) => l.message)).toContain(`granted with ${REDACTED}`);
    const stored = await everything(t.db, { view: done, events });
    for (const form of FORMS) expect(stored).not.toContain(form);
    expect(stored).toContain(REDACTED);

    const file = t.file;
    await t.close();
    t = undefined;
    const bytes = fileBytes(file);
    // The log lines are in the bytes read (so the check below looks where they are), without the secret.
    expect(bytes).toContain(`connecting as postgres with password ${REDACTED}`);
    for (const form of FORMS) expect(bytes).not.toContain(form);
  });

  it("redacts a secret in the error of a read that fails", async () => {
    t = openTestDb();
    const env = await createEnvironment(t.db);
    const steps = [
      fakeStep("db-grants", new FakeCloud(), [], {
        observe: (ctx) => {
          // Only a run has the secret: the read fails as a driver would, echoing the connection string.
          if (ctx.secrets.dbAdminPassword) throw new Error(`could not connect to postgres://postgres:${ctx.secrets.dbAdminPassword}@db/studio`);
        },
      }),
    ];
    const jobs = createJobService({ db: t.db, steps });
    const { runId } = await jobs.startRun({
      environmentId: env.id,
      kind: "verify",
      settings: testSettings(),
      actor: "ada",
      secrets: { dbAdminUser: "postgres", dbAdminPassword: PASSWORD },
    });
    const events: RunEvent[] = [];
    jobs.subscribe(runId, (e) => events.push(e));
    const view = await jobs.waitForRun(runId);
    expect(view?.status).toBe("failed");
    expect(view?.steps[0].error).toBe(`could not connect to postgres://postgres:${REDACTED}@db/studio`);
    const stored = await everything(t.db, { view, events });
    for (const form of FORMS) expect(stored).not.toContain(form);
    expect(stored).toContain(REDACTED);
  });
});
