// The IAM actions of the wizard's pickers (lib/aws/inventory.ts), for the operator policy. These list whole
// accounts, so they cannot be scoped to one environment's resources.
export const INVENTORY_IAM_ACTIONS = [
  "sts:GetCallerIdentity",
  "eks:ListClusters",
  "rds:DescribeDBInstances",
  "rds:DescribeDBClusters",
  "s3:ListAllMyBuckets",
];
