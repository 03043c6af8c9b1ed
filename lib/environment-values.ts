// What the Helm values and grants.sql of an environment are built from: its saved settings and, for the
// role ARNs, the account id discovery read (a role ARN is arn:<partition>:iam::<account>:role/<name>).
import "server-only";
import { partitionOf } from "./config/aws-names";
import type { EnvironmentSettings } from "./config/environment";
import { parseJson, settingsOf } from "./environments";
import { roleArn } from "./policies/arn";
import type { RoleArns } from "./helm";
import type { Observed } from "./steps/types";

export type ValuesSource =
  | { ok: true; settings: EnvironmentSettings; arns: RoleArns; observed: Observed }
  | { ok: false; reason: string };

export function valuesSource(env: { name: string; settings: string; observed: string | null }): ValuesSource {
  const settings = settingsOf(env);
  if (!settings) return { ok: false, reason: "The wizard is not finished: the environment has no settings yet." };
  const observed = env.observed ? (parseJson(env.observed) as unknown as Observed) : null;
  const accountId = observed?.identity?.accountId;
  if (!observed || !accountId) return { ok: false, reason: "Open the plan once so the console learns the AWS account id the role ARNs need." };
  const partition = partitionOf(settings.region);
  return {
    ok: true,
    settings,
    observed,
    arns: { rdsRoleArn: roleArn(partition, accountId, settings.rdsRoleName), s3RoleArn: roleArn(partition, accountId, settings.s3RoleName) },
  };
}

/** `Content-Disposition: attachment` with a file name that needs no escaping (environment names are [a-z0-9-]). */
export function attachment(body: string, fileName: string, contentType: string): Response {
  return new Response(body, {
    headers: {
      "Content-Type": `${contentType}; charset=utf-8`,
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "no-store",
    },
  });
}
