// What the downloads of an environment are built from: its saved settings, the last discovery, and for the Helm
// values the role ARNs (arn:<partition>:iam::<account>:role/<name>, the account id read by discovery).
import "server-only";
import { db } from "./db";
import { partitionOf } from "./config/aws-names";
import type { EnvironmentSettings } from "./config/environment";
import { observedOf, settingsOf, settingsProblem } from "./environments";
import { roleArn } from "./policies/arn";
import type { RoleArns } from "./helm";
import { publicError } from "./http/public-error";
import type { Observed } from "./steps/types";

type EnvRow = { name: string; settings: string; observed: string | null };

export type ValuesSource =
  | { ok: true; settings: EnvironmentSettings; arns: RoleArns; observed: Observed }
  | { ok: false; reason: string };

const sentence = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}.`;

export function valuesSource(env: EnvRow): ValuesSource {
  const settings = settingsOf(env);
  if (!settings) return { ok: false, reason: sentence(settingsProblem(env) ?? "the wizard is not finished") };
  const observed = observedOf(env);
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

/**
 * For download route handlers (after their session check): the environment with valid settings, or the JSON
 * error Response to return (404 unknown, 409 wizard not finished or settings that break a rule).
 */
export async function environmentForDownload(id: string) {
  const env = await db.environment.findUnique({ where: { id } });
  if (!env) return Response.json({ error: "no such environment" }, { status: 404 });
  const settings = settingsOf(env);
  if (!settings) return Response.json({ error: settingsProblem(env) ?? "the wizard is not finished" }, { status: 409 });
  return { env, settings, observed: observedOf(env) };
}

/**
 * Renders a download; a refusal of the settings by the renderer (a rule it checks itself) is a 409 with its
 * message, anything else a 500 that carries the console's message, never the library's.
 */
export function renderDownload(what: string, render: () => Response): Response {
  try {
    return render();
  } catch (error) {
    const answer = publicError(error, `rendering ${what}`);
    return Response.json({ error: answer.message }, { status: answer.expected ? 409 : 500 });
  }
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
