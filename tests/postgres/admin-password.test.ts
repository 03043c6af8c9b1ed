// The DB admin password lives in the run's memory only. After a full run (apply, a repeat, verify) and runs that
// fail in several ways, it is in none of: the log lines, the checkpoints, the thrown errors (message and stack), or
// the SQLite job store file they were written to, the way the runner writes them (raw, without its own redactor).
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderGrantsSql } from "@/lib/postgres/grants-script";
import { safeError, scrubSecrets } from "@/lib/postgres/secret-scrub";
import { createDbGrantsStep, dbGrantsStep } from "@/lib/steps/db-grants";
import type { EnvironmentSettings } from "@/lib/config/environment";
import type { RunSecrets, Step } from "@/lib/steps/types";
import { openTestDb, type TestDb } from "@/tests/support/test-db";
import { createFixture, runGrants, verifyGrants, type Fixture } from "./support";

let fx: Fixture;
let store: TestDb;
beforeEach(async () => {
  fx = await createFixture();
  store = openTestDb();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await store.close();
  fs.rmSync(path.dirname(store.file), { recursive: true, force: true });
  await fx.cleanup();
});

/** Every form the password could take in text. */
function forms(password: string): string[] {
  return [password, encodeURIComponent(password), JSON.stringify(password).slice(1, -1)];
}

/** Runs one step method with a context that writes to the job store like the runner; returns the error, if any. */
async function runStep(
  runId: string,
  step: Step,
  method: "apply" | "verify",
  settings: EnvironmentSettings,
  secrets: RunSecrets,
): Promise<Error | null> {
  const stepRun = await store.db.stepRun.upsert({
    where: { runId_key: { runId, key: `db-grants` } },
    create: { runId, key: "db-grants", status: "running" },
    update: { status: "running", attempt: { increment: 1 } },
  });
  const log = async (level: "info" | "warn" | "error", message: string) => {
    await store.db.runLog.create({ data: { runId, stepKey: "db-grants", level, message } });
  };
  try {
    const result = method === "apply" ? (await runGrants(settings, secrets, { step, log })).output : await verifyGrants(settings, secrets, step);
    if (method === "apply") await store.db.stepRun.update({ where: { id: stepRun.id }, data: { output: JSON.stringify(result) } });
    await store.db.runLog.create({
      data: { runId, stepKey: "db-grants", level: "info", message: `${method} result ${JSON.stringify(result)}` },
    });
    await store.db.stepRun.update({ where: { id: stepRun.id }, data: { status: "succeeded" } });
    await store.db.run.update({ where: { id: runId }, data: { status: "succeeded" } });
    return null;
  } catch (error) {
    const e = error as Error;
    // The runner stores the message; a careless one might store the stack too: store both.
    await store.db.stepRun.update({
      where: { id: stepRun.id },
      data: { status: "failed", error: `${e.message}\n${e.stack ?? ""}` },
    });
    await store.db.run.update({ where: { id: runId }, data: { status: "failed", error: e.message } });
    return e;
  }
}

describe("the DB admin password", () => {
  it("never reaches logs, checkpoints, errors or the SQLite job store", async () => {
    const password = fx.adminPassword;
    const secrets = { dbAdminUser: fx.admin, dbAdminPassword: password };
    const settings = fx.settings({ reassignOwned: true });
    const environment = await store.db.environment.create({
      data: { name: `pgtest-${fx.suffix}`, settings: JSON.stringify(settings) },
    });
    const newRun = async (kind: string) =>
      (
        await store.db.run.create({
          data: { environmentId: environment.id, kind, actor: "admin", status: "running", settings: JSON.stringify(settings) },
        })
      ).id;
    const errors: Error[] = [];

    // A full run, a repeat and a verify: all succeed.
    const run1 = await newRun("apply");
    expect(await runStep(run1, dbGrantsStep, "apply", settings, secrets)).toBeNull();
    const run2 = await newRun("apply");
    expect(await runStep(run2, dbGrantsStep, "apply", settings, secrets)).toBeNull();
    const run3 = await newRun("verify");
    expect(await runStep(run3, dbGrantsStep, "verify", settings, secrets)).toBeNull();

    // Failures: nothing listening on the port; a refusal; a statement PostgreSQL rejects (no owner to borrow
    // privileges from); and a driver that echoes a connection string with the password in it.
    const failures: Array<[Step, EnvironmentSettings]> = [
      [dbGrantsStep, { ...settings, dbPortOverride: 1 }],
      [createDbGrantsStep({ rdsIamRole: `rds_iam_absent_${fx.suffix}` }), settings],
      [dbGrantsStep, { ...settings, originalDbOwner: undefined, reassignOwned: false, iamDbUser: `iam2_${fx.suffix}` }],
    ];
    fx.track(`iam2_${fx.suffix}`);
    for (const [step, s] of failures) {
      const run = await newRun("apply");
      const error = await runStep(run, step, "apply", s, secrets);
      expect(error).toBeInstanceOf(Error);
      errors.push(error!);
    }
    const echo = vi.spyOn(pg.Client.prototype, "connect").mockRejectedValue(
      new Error(`connect failed for postgres://${fx.admin}:${encodeURIComponent(password)}@db:5432/x (password ${password})`),
    );
    const run7 = await newRun("apply");
    const echoed = await runStep(run7, dbGrantsStep, "apply", settings, secrets);
    echo.mockRestore();
    expect(echoed?.message).toContain("connect failed for postgres://");
    errors.push(echoed!);

    expect(errors.map((e) => e.message).join("\n")).toMatch(/ECONNREFUSED/);
    expect(errors.map((e) => e.message).join("\n")).toMatch(/IAM authentication is not enabled yet/);
    expect(errors.map((e) => e.message).join("\n")).toMatch(/permission denied/);
    for (const error of errors)
      for (const form of forms(password)) {
        expect(error.message).not.toContain(form);
        expect(error.stack ?? "").not.toContain(form);
      }

    // What the plan view and the downloaded script show cannot hold it either.
    const rendered = JSON.stringify(dbGrantsStep.changes({}, settings)) + renderGrantsSql(settings);
    for (const form of forms(password)) expect(rendered).not.toContain(form);

    const logs = await store.db.runLog.findMany();
    const steps = await store.db.stepRun.findMany();
    expect(logs.some((l) => l.message.startsWith("SQL: GRANT"))).toBe(true);
    expect(steps.some((s) => s.output?.includes(`"changed":true`))).toBe(true);
    for (const form of forms(password)) {
      expect(logs.filter((l) => l.message.includes(form))).toEqual([]);
      expect(steps.filter((s) => `${s.output} ${s.error}`.includes(form))).toEqual([]);
    }

    // The file itself (and any WAL beside it), byte for byte, after the store is closed.
    await store.close();
    const dir = path.dirname(store.file);
    const bytes = Buffer.concat(fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f))));
    expect(bytes.includes(Buffer.from(`SQL: REASSIGN OWNED BY "${fx.owner}"`))).toBe(true);
    for (const form of forms(password)) expect(bytes.includes(Buffer.from(form))).toBe(false);
  });
});

describe("scrubbing", () => {
  it("removes every form of a secret from an error's message and stack, keeping the code", () => {
    const secret = `s3cr3t/with space&"quote'`;
    const original = Object.assign(new Error(`boom ${secret} and ${encodeURIComponent(secret)}`), { code: "28P01" });
    const safe = safeError(original, [secret], "connecting");
    for (const form of forms(secret)) {
      expect(safe.message).not.toContain(form);
      expect(safe.stack).not.toContain(form);
    }
    expect(safe.message).toBe("connecting: boom [redacted] and [redacted]");
    expect(safe.code).toBe("28P01");
    expect(safe.cause).toBeUndefined();
    expect(scrubSecrets("nothing to hide", [undefined, ""])).toBe("nothing to hide");
  });
});
