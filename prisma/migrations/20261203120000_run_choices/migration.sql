-- What the admin chose in the run form beyond the reviewed plan, as JSON (no secret): `adopt`, the names typed to
-- adopt roles or buckets the console did not create; `applyPendingNow`, the RDS pending modifications acknowledged
-- to be applied now with IAM authentication. Kept with the run so a resumed run is held to the same choices.
ALTER TABLE "Run" ADD COLUMN "choices" TEXT;
