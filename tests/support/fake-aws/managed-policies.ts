// AWS managed policies the fake IAM knows, with their documents as AWS publishes them (AWS Managed Policy
// Reference, docs.aws.amazon.com/aws-managed-policy/latest/reference/<Name>.html), so a step that inspects a
// permissions boundary or an attached policy reads what a real account would hand back.

export interface AwsManagedPolicy {
  name: string;
  id: string;
  path: string;
  description: string;
  createdAt: string;
  updatedAt: string;
  defaultVersion: string;
  document: object;
}

export const AWS_MANAGED_POLICIES: AwsManagedPolicy[] = [
  {
    name: "AdministratorAccess",
    id: "ANPAIWMBCKSKIEE64ZLYK",
    path: "/",
    description: "Provides full access to AWS services and resources.",
    createdAt: "2015-02-06T18:39:46Z",
    updatedAt: "2015-02-06T18:39:46Z",
    defaultVersion: "v1",
    document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  },
  {
    name: "PowerUserAccess",
    id: "ANPAJYRXTHIB4FOVS3ZXS",
    path: "/",
    description: "Provides full access to AWS services and resources, but does not allow management of Users and groups.",
    createdAt: "2015-02-06T18:39:47Z",
    updatedAt: "2026-02-12T17:59:00Z",
    defaultVersion: "v12",
    document: {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" },
        {
          Effect: "Allow",
          Action: [
            "account:GetAccountInformation",
            "account:GetGovCloudAccountInformation",
            "account:GetPrimaryEmail",
            "account:ListRegions",
            "iam:CreateServiceLinkedRole",
            "iam:DeleteServiceLinkedRole",
            "iam:ListRoles",
            "organizations:DescribeEffectivePolicy",
            "organizations:DescribeOrganization",
          ],
          Resource: "*",
        },
      ],
    },
  },
];

/** `arn:<partition>:iam::aws:policy/<path><name>` → the policy, in any partition. */
export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  const m = /^arn:[a-z-]+:iam::aws:policy(\/(?:.*\/)?)([^/]+)$/.exec(arn);
  return m ? AWS_MANAGED_POLICIES.find((p) => p.name === m[2] && p.path === m[1]) : undefined;
}
