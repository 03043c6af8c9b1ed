import "server-only";
// Step `s3-role`: the role the Rasa model service assumes to read and write models in the bucket.
import { makeRoleStep } from "./role-step";

export const s3RoleStep = makeRoleStep("s3-role", "s3", "Create the S3 IAM role");
