// Typed access to the facts other steps observed, for the steps (and pages) that build on them.
import { identityStep, type IdentityFacts } from "./identity";
import { factsOf, type Facts } from "./types";

export const identityFacts = (facts: Facts): IdentityFacts | undefined => factsOf(facts, identityStep);
