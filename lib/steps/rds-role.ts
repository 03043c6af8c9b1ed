import "server-only";
// Step `rds-role`: the role the backend, event-ingestion and DB-migration service accounts assume to get IAM
// database tokens (rds-db:connect on the one IAM DB user).
import { makeRoleStep } from "./role-step";

export const rdsRoleStep = makeRoleStep("rds-role", "rds", "Create the RDS IAM role");
