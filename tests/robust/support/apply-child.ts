// A console process for the crash trials (tests/robust/crash-trials.robust.ts), with the tests' fake AWS account
// preloaded (kept in a state file, so it outlives a kill -9). `start` reviews a plan and applies it, printing the
// run id first; `resume <runId>` is the restarted process: start-up recovery marks the run interrupted, the run is
// resumed and awaited; `verify` prints what a fresh plan still wants. The grants step is left out (no database).
import { createPrismaClient } from "@/lib/db-client";
import { createJobService } from "@/lib/jobs";
import { STEPS } from "@/lib/steps";
import { buildPlan } from "@/lib/steps/plan";
import { observeSteps } from "@/lib/steps/observe";
import { awsClients } from "@/lib/aws/clients";
import { startApply } from "@/tests/jobs/support/plan";
import { testSettings } from "@/tests/support/settings";

const steps = STEPS.filter((s) => s.key !== "db-grants");
const db = createPrismaClient(process.env.DATABASE_URL!);
const settings = testSettings();
const [mode, runId] = process.argv.slice(2);
const say = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

if (mode === "verify") {
  const facts = await observeSteps(steps, settings, { aws: awsClients(settings.region) });
  const left = buildPlan(settings, facts, steps).steps.flatMap((s) => s.changes.filter((c) => c.action !== "unchanged").map((c) => `${s.key}: ${c.call}`));
  say({ left });
} else {
  const jobs = createJobService({ db, steps, staleAfterMs: 0, recoverOnStart: true, heartbeatMs: 50 });
  if (mode === "start") {
    const env = await db.environment.create({ data: { name: settings.name, settings: JSON.stringify(settings) } });
    const { runId: id } = await startApply(jobs, db, env.id, steps);
    say({ runId: id });
    say({ view: await jobs.waitForRun(id) });
  } else {
    await jobs.recoverInterrupted();
    await jobs.resumeRun(runId, "robust");
    const view = await jobs.waitForRun(runId);
    say({ status: view?.status, error: view?.error });
  }
}
await db.$disconnect();
process.exit(0);
