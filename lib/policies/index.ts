// The pure policy builders, in one import.
export * from "./arn";
export * from "./bucket-policy";
export * from "./policy-json";
export * from "./rds-connect-policy";
export * from "./s3-access-policy";
export * from "./s3-actions";
export * from "./trust-policy";
export * from "./types";
