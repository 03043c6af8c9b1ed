import "server-only";
// The IAM policy a teardown needs, derived from the teardown steps' declared permissions like the operator
// policy is from the catalogue's. Kept apart from the operator policy: the deletes are granted only for the time
// of a teardown, not to the identity that applies every day.
import { operatorPolicy, type OperatorPolicyTarget } from "../steps/operator-policy";
import type { PolicyDocument } from "../policies/types";
import { TEARDOWN_STEPS } from "./index";

export function teardownPolicy(target?: OperatorPolicyTarget): PolicyDocument {
  return operatorPolicy(target, { steps: TEARDOWN_STEPS, includePickers: false, includeModelRuns: false });
}
