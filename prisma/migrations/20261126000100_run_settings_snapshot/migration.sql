-- The environment settings a run was started with (validated JSON, no secrets): a resumed or retried run
-- executes what was planned, even if the wizard has changed the environment since.
ALTER TABLE "Run" ADD COLUMN "settings" TEXT;
