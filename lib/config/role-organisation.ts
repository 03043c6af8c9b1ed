// Organisation rules for the roles the console creates: an optional permissions boundary (many organisations'
// SCPs deny iam:CreateRole without one) and a role path (`/platform/studio/`), which is part of the role's ARN.
import { z } from "zod";
import { partitionOf } from "./aws-names";

/**
 * IAM's path rule: `/` alone, or segments of printable ASCII between slashes (`/platform/studio/`), at most
 * 512 characters. Empty segments (`//`) are refused: IAM would keep them, and nobody means them.
 */
export const rolePathSchema = z
  .string()
  .trim()
  .max(512, { error: "must be at most 512 characters" })
  .regex(/^\/([\x21-\x2E\x30-\x7E]+\/)*$/, { error: "must start and end with / with no empty segment, for example /platform/studio/" });

/** A managed policy's ARN (the account's or AWS's), in any partition. */
export const permissionsBoundaryArnSchema = z
  .string()
  .trim()
  .regex(/^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|aws):policy\/([\x21-\x2E\x30-\x7E]+\/)*[\w+=,.@-]{1,128}$/, {
    error: "must be the ARN of a managed policy, for example arn:aws:iam::111122223333:policy/StudioBoundary",
  });

/** The partition an ARN names (`arn:<partition>:…`). */
export const arnPartition = (arn: string): string => arn.split(":")[1] ?? "";

/** Cross-field rule: the boundary must be in the partition of the environment's region (IAM refuses otherwise). */
export function roleOrganisationRules(s: { region: string; permissionsBoundaryArn?: string }, ctx: z.core.$RefinementCtx) {
  if (!s.permissionsBoundaryArn) return;
  const want = partitionOf(s.region);
  const got = arnPartition(s.permissionsBoundaryArn);
  if (got !== want)
    ctx.addIssue({
      code: "custom",
      path: ["permissionsBoundaryArn"],
      message: `must be in partition ${want} (region ${s.region}), not ${got}`,
    });
}
