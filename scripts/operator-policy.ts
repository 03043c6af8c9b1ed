// Prints the operator policy (any environment) — the block the README shows; tests/readme.test.ts keeps them equal.
import { operatorPolicy } from "../lib/steps/operator-policy";
import { toPolicyJson } from "../lib/policies/policy-json";

console.log(toPolicyJson(operatorPolicy()));
