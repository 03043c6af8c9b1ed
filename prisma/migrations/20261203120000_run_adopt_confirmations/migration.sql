-- Adopting only on purpose: the resource names the admin typed in the run form to confirm adopting a role or
-- bucket the console did not create (JSON list). Not a secret; kept so a resumed run is held to the same choice.
ALTER TABLE "Run" ADD COLUMN "adoptConfirmed" TEXT;
