// What a form says when a field is left empty, in the console's words: the field's label comes first on the page
// ("AWS region is required: …"), so each message continues that sentence and says what to put there. Zod's own
// text for a missing value ("Invalid input: expected string, received undefined") never reaches a person.
export const REQUIRED_MESSAGES: Record<string, string> = {
  name: "is required: a short name such as staging or production",
  region: "is required: the region code where the EKS cluster, the database and the bucket live, for example eu-west-1",
  clusterName: "is required: the name of the EKS cluster Studio runs in (eks:ListClusters offers the ones it can see)",
  dbIdentifier: "is required: the RDS DB instance identifier, or the Aurora DB cluster identifier",
  databaseName: "is required: the PostgreSQL database Studio uses, for example studio",
  bucketName: "is required: the S3 bucket for Studio's models, new or existing",
  storageSituation: "is required: choose where Studio's models are today",
  rdsRoleName: "is required: the IAM role Studio's backend uses for the database",
  s3RoleName: "is required: the IAM role the model service uses for the bucket",
  username: "is required",
  password: "is required",
};

/** Zod's wording for a value that was not sent at all. */
const MISSING = /received undefined$/;

/** The message for an issue on `key`: the console's "is required" sentence when the value was left empty. */
export function consoleMessage(key: string, message: string, missing: boolean): string {
  if (missing || MISSING.test(message)) return REQUIRED_MESSAGES[key] ?? "is required";
  return message;
}
