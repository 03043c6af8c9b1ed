-- Saved plans: what an admin reviewed (the settings, the facts observed and their fingerprint, the changes) is
-- what an apply executes, or nothing runs. Pages read plans; only an explicit "Refresh plan" writes one.
CREATE TABLE "Plan" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "environmentId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "settings" TEXT NOT NULL,
    "facts" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "plan" TEXT NOT NULL,
    CONSTRAINT "Plan_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "Plan_environmentId_createdAt_idx" ON "Plan"("environmentId", "createdAt");

-- The plan an apply run executes, and when its fingerprint was checked against a fresh observation (after that,
-- a resumed run is held to the reviewed changes instead: its own earlier changes are expected).
ALTER TABLE "Run" ADD COLUMN "planId" TEXT REFERENCES "Plan" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Run" ADD COLUMN "planCheckedAt" DATETIME;
-- The changes a run executes are its saved plan's; the copy on the run goes.
ALTER TABLE "Run" DROP COLUMN "plan";

-- Discovery results now live in saved plans; the plan page no longer writes on GET.
ALTER TABLE "Environment" DROP COLUMN "observed";
