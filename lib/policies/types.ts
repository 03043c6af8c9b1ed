// The shape of the IAM and S3 policy documents the builders return: plain JSON objects.

export type StringOrList = string | string[];

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | Record<string, StringOrList>;
  Action: StringOrList;
  Resource?: StringOrList;
  /** `{ operator: { key: value(s) } }`, for example `{ StringEquals: { "<issuer>:aud": "sts.amazonaws.com" } }`. */
  Condition?: Record<string, Record<string, StringOrList>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** The IAM policy language version every document uses. */
export const POLICY_VERSION = "2012-10-17" as const;
