import "server-only";
// Step `rds-role`: the role the backend, event-ingestion and DB-migration service accounts assume to get IAM
// database tokens (rds-db:connect on the one IAM DB user).
import { auroraMemberBlocker } from "./aurora-member";
import { makeRoleStep } from "./role-step";

// An Aurora member instance would get a policy on its db-… id that never matches: refused here too.
export const rdsRoleStep = makeRoleStep("rds-role", "rds", "Create the RDS IAM role", { blockers: auroraMemberBlocker });
