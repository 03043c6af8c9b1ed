// The access matrix and map: who may do what, proven offline from the real policies.
export { AccessInputError, evaluateAccessMatrix, parseAccessInput } from "./matrix";
export type { AccessMatrixInput, IdentityInput, PodIdentityAssociationInput, PolicyInput, RoleDocumentsInput } from "./input";
export { describeRef } from "./describe";
export { EDGE_STATE_TEXT } from "./map";
export { ENGINE } from "./simulate";
export * from "./types";
