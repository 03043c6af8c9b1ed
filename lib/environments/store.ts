// Environments in the job store: look-ups, the wizard draft and the saved settings. Settings are parsed here,
// once, where they leave the database; everything past this module works with typed settings.
import "server-only";
import { notFound } from "next/navigation";
import { db } from "../db";
import { Prisma } from "../generated/prisma/client";
import { describeErrors, environmentSettingsSchema, WIZARD_STEPS, type EnvironmentSettings, type WizardStep } from "../config/environment";

export interface EnvironmentRecord {
  id: string;
  name: string;
  /** The saved, complete settings, or null while the wizard has not been finished or they break a rule. */
  settings: EnvironmentSettings | null;
  /**
   * Why `settings` is null, for messages: "the wizard is not finished" when it never saved any, else the rules the
   * saved settings break (saved before a rule was added, edited by hand, ...). Null when they are valid.
   */
  settingsProblem: string | null;
  /** The wizard's values so far: the draft over the saved settings. */
  draft: Record<string, unknown>;
  wizardStep: WizardStep;
  createdAt: Date;
}

type Row = { id: string; name: string; settings: string; draft: string; wizardStep: string; createdAt: Date };

function parseJson(text: string | null | undefined): Record<string, unknown> {
  try {
    const v: unknown = text ? JSON.parse(text) : {};
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function toRecord(row: Row): EnvironmentRecord {
  const saved = parseJson(row.settings);
  const parsed = environmentSettingsSchema.safeParse({ ...saved, name: row.name });
  return {
    id: row.id,
    name: row.name,
    settings: parsed.success ? parsed.data : null,
    settingsProblem: parsed.success
      ? null
      : Object.keys(saved).length === 0
        ? "the wizard is not finished"
        : `the saved settings are not valid: ${describeErrors(parsed.error)}; fix them in the wizard`,
    draft: { ...saved, ...parseJson(row.draft), name: row.name },
    wizardStep: (WIZARD_STEPS as readonly string[]).includes(row.wizardStep) ? (row.wizardStep as WizardStep) : "account",
    createdAt: row.createdAt,
  };
}

export async function findEnvironment(id: string): Promise<EnvironmentRecord | null> {
  const row = await db.environment.findUnique({ where: { id } });
  return row ? toRecord(row) : null;
}

/** The environment, or the not-found page. */
export async function getEnvironmentOrThrow(id: string): Promise<EnvironmentRecord> {
  const env = await findEnvironment(id);
  if (!env) notFound();
  return env;
}

/** Runs that change what exists on AWS: an environment's state follows the newest of them. */
const CHANGE_KINDS = ["apply", "teardown"];

/**
 * Every environment by name, with its newest apply or teardown run (for its state). The newest run is picked in
 * SQL, one index seek per environment: Prisma's `include: { runs: { take: 1 } }` reads every matching run of every
 * environment and cuts in memory (800 rows per page view in the pages bench, for 20 environments).
 */
export async function listEnvironments() {
  const [rows, newest] = await Promise.all([
    db.environment.findMany({ orderBy: { name: "asc" } }),
    db.$queryRaw<{ id: string | null }[]>`
      SELECT (SELECT r."id" FROM "Run" r WHERE r."environmentId" = e."id" AND r."kind" IN (${Prisma.join(CHANGE_KINDS)})
              ORDER BY r."createdAt" DESC LIMIT 1) AS "id"
      FROM "Environment" e`,
  ]);
  const ids = newest.flatMap((n) => (n.id ? [n.id] : []));
  const runs = ids.length
    ? await db.run.findMany({ where: { id: { in: ids } }, select: { id: true, environmentId: true, kind: true, status: true, createdAt: true } })
    : [];
  const byEnvironment = new Map(runs.map(({ environmentId, ...run }) => [environmentId, run]));
  return rows.map((r) => ({ ...toRecord(r), lastChange: byEnvironment.get(r.id) ?? null }));
}

/** A new environment with a first draft; null when the name is taken. */
export async function createEnvironment(name: string, draft: Record<string, unknown>): Promise<{ id: string; name: string } | null> {
  if (await db.environment.findUnique({ where: { name }, select: { id: true } })) return null;
  return db.environment.create({ data: { name, draft: JSON.stringify(draft) }, select: { id: true, name: true } });
}

export async function saveDraft(id: string, draft: Record<string, unknown>, wizardStep: WizardStep): Promise<void> {
  await db.environment.update({ where: { id }, data: { draft: JSON.stringify(draft), wizardStep } });
}

/** The finished wizard: validated settings replace the draft. */
export async function saveSettings(id: string, settings: EnvironmentSettings): Promise<void> {
  await db.environment.update({ where: { id }, data: { settings: JSON.stringify(settings), draft: "{}", wizardStep: "review" } });
}
