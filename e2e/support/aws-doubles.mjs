// Preloaded into the TEST server process only (NODE_OPTIONS=--import, set by scripts/e2e.mjs): a stateful fake
// AWS account answering the SDK clients through aws-sdk-client-mock. The console itself has no fake mode.
//
// Steering: E2E_AWS_SCENARIO names a JSON file, read on every call (format in fake-aws/scenario.mjs):
//   { "failOnce": { "PutBucketVersioning": "AccessDenied" }, "failOnceId": "apply-1",
//     "failAlways": { "DescribeCluster": "AccessDeniedException" }, "delayMs": { "CreateBucket": 800, "*": 0 },
//     "reset": "wizard" }
// The account (fake-aws/world.mjs): 111122223333, caller user/platform-admin, EKS cluster studio-eks, RDS
// instance studio-db (postgres), Aurora cluster studio-aurora, no OIDC provider, no role, and a bucket
// someone-elses-bucket owned by another account. Its state is kept in `<scenario>.state.json` so a killed and
// restarted server finds what it had created. Calls per command: globalThis.__awsDoubleCalls.
import { installAwsDouble } from "./fake-aws/double.mjs";

/** @type {ReturnType<typeof installAwsDouble>} */
export const awsDouble =
  globalThis.__awsDouble ??
  installAwsDouble({ root: new URL("../../package.json", import.meta.url), scenarioFile: process.env.E2E_AWS_SCENARIO });

globalThis.__awsDouble = awsDouble;
globalThis.__awsDoubleCalls = awsDouble.calls;
