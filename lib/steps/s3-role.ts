import "server-only";
// Step `s3-role`: the role the Rasa model service assumes to read and write models in the bucket. No role is
// made for a bucket another account owns.
import { makeRoleStep } from "./role-step";
import { bucketFacts } from "./s3-bucket";

export const s3RoleStep = makeRoleStep("s3-role", "s3", "Create the S3 IAM role", {
  blockers(facts, s) {
    const bucket = bucketFacts(facts);
    return bucket?.state === "foreign" ? [`S3 bucket ${s.bucketName} belongs to another account: no role is created for it. Choose another bucket name.`] : [];
  },
});
