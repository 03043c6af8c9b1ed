// The server's one job service: the process-wide database and the real step catalogue. Created on first use;
// a single server owns the SQLite file, so anything still `running` at that moment was left by a dead process
// and is marked interrupted straight away (stale threshold 0) before any other call proceeds. Not during
// `next build`: a build may run beside a live server on the same file and must not interrupt its runs.
import "server-only";
import { db } from "../db";
import { STEPS } from "../steps";
import { accessCheckStep } from "../steps/access-check";
import { TEARDOWN_STEPS } from "../teardown";
import { createJobService, type JobService } from "./index";

const g = globalThis as unknown as { __studioJobService?: JobService };

export function getJobService(): JobService {
  return (g.__studioJobService ??= createJobService({
    db,
    steps: STEPS,
    accessStep: accessCheckStep,
    teardownSteps: TEARDOWN_STEPS,
    staleAfterMs: 0,
    recoverOnStart: process.env.NEXT_PHASE !== "phase-production-build",
  }));
}
