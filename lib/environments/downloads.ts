// What the downloads of an environment are built from (its settings and its latest saved plan), and the
// attachment response every download route returns.
import "server-only";
import type { EnvironmentSettings } from "../config/environment";
import { userOr401 } from "../auth/current";
import { db } from "../db";
import { valuesContextFrom, type RoleArns, type ValuesContext } from "../helm";
import { connectionTarget, describeConnection, type ConnectionDescription } from "../postgres/connect";
import { discoverFacts } from "../steps/discover";
import { roleArnOf } from "../steps/role-step";
import { publicError } from "../http/public-error";
import { latestPlan, type SavedPlan } from "./plans";
import { findEnvironment, type EnvironmentRecord } from "./store";

export type ValuesSource =
  | {
      ok: true;
      settings: EnvironmentSettings;
      arns: RoleArns;
      plan: SavedPlan;
      /** The RDS endpoint IAM tokens are signed for, as the plan read it: the values' database host. */
      context: ValuesContext;
    }
  | { ok: false; reason: string };

const sentence = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}.`;

/** The Helm values need the roles' ARNs, read from IAM (or predicted from the account) by the latest plan. */
export function valuesSource(env: Pick<EnvironmentRecord, "settings" | "settingsProblem">, plan: SavedPlan | null): ValuesSource {
  if (!env.settings) return { ok: false, reason: sentence(env.settingsProblem ?? "the wizard is not finished") };
  if (!plan) return { ok: false, reason: "Refresh the plan once so the console learns the AWS account the role ARNs are in." };
  const rdsRoleArn = roleArnOf(plan.facts, env.settings, "rds");
  const s3RoleArn = roleArnOf(plan.facts, env.settings, "s3");
  if (!rdsRoleArn || !s3RoleArn) return { ok: false, reason: "The latest plan could not read the AWS account: refresh it." };
  return { ok: true, settings: env.settings, arns: { rdsRoleArn, s3RoleArn }, plan, context: valuesContextFrom(discoverFacts(plan.facts)) };
}

/** How the admin password would travel (host, port, TLS, CA), for the forms that ask for it; null before a plan. */
export function connectionOf(settings: EnvironmentSettings, plan: SavedPlan | null): ConnectionDescription | null {
  const database = plan ? discoverFacts(plan.facts).database : null;
  if (!settings.dbHostOverride && !database?.endpoint) return null;
  return describeConnection(connectionTarget(settings, { endpoint: database?.endpoint ?? null, port: database?.port ?? null }));
}

/** Where a DBA connects: the tunnel override, else the endpoint the latest plan read. */
export function databaseAddress(
  settings: EnvironmentSettings,
  plan: SavedPlan | null,
): { host?: string; port?: number; tls: EnvironmentSettings["dbTls"] } {
  const database = plan ? discoverFacts(plan.facts).database : null;
  // With the TLS mode, so the scripts' example psql command connects the way the console does.
  return { host: settings.dbHostOverride ?? database?.endpoint, port: settings.dbPortOverride ?? database?.port, tls: settings.dbTls };
}

/**
 * A download route handler's first lines: the session checked (401 signed out, 403 when a new password must be
 * chosen first), then the environment as environmentForDownload gives it, or the Response to return.
 */
export async function signedInDownload(params: Promise<{ id: string }>) {
  const user = await userOr401();
  if (user instanceof Response) return user;
  return environmentForDownload((await params).id);
}

/**
 * For download route handlers (after their session check): the environment with complete settings and its latest
 * plan, or the JSON error Response to return (404 unknown, 409 wizard not finished or settings that break a rule).
 */
export async function environmentForDownload(id: string) {
  const env = await findEnvironment(id);
  if (!env) return Response.json({ error: "no such environment" }, { status: 404 });
  if (!env.settings) return Response.json({ error: env.settingsProblem ?? "the wizard is not finished" }, { status: 409 });
  return { env, settings: env.settings, plan: await latestPlan(db, env.id) };
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
