-- Job runner: ownership of a running run, step order, and one active run per environment.

-- The worker (service instance) executing a run; its heartbeat is conditional on it, so a worker that lost the
-- run (recovered as interrupted, resumed elsewhere) notices and stops instead of writing over the new owner.
ALTER TABLE "Run" ADD COLUMN "workerId" TEXT;

-- The step's place in the catalogue (topological order), so a run reads back in the order it was planned.
ALTER TABLE "StepRun" ADD COLUMN "position" INTEGER NOT NULL DEFAULT 0;

-- At most one queued or running run per environment: two workers racing to start or resume are refused by
-- the database itself, not by a read-then-write check. (A partial index: schema.prisma cannot express it.)
CREATE UNIQUE INDEX "Run_one_active_per_environment" ON "Run"("environmentId") WHERE "status" IN ('queued', 'running');
