// Environments in the job store: look-ups, the wizard draft, the saved settings and the state shown in lists.
import "server-only";
import { notFound } from "next/navigation";
import { db } from "./db";
import { describeErrors, environmentSettingsSchema, WIZARD_STEPS, type EnvironmentSettings, type WizardStep } from "./config/environment";
import type { Observed } from "./steps/types";

export type EnvironmentState = "draft" | "planned" | "applying" | "done" | "failed" | "interrupted" | "cancelled";

function parseJson(text: string | null | undefined): Record<string, unknown> {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function getEnvironmentOrThrow(id: string) {
  const env = await db.environment.findUnique({ where: { id } });
  if (!env) notFound();
  return env;
}

/** The wizard's values so far: the draft over the saved settings. */
export function draftOf(env: { settings: string; draft: string; name: string }): Record<string, unknown> {
  return { ...parseJson(env.settings), ...parseJson(env.draft), name: env.name };
}

/** The saved, complete settings, or null while the wizard has not been finished. */
export function settingsOf(env: { settings: string; name: string }): EnvironmentSettings | null {
  const parsed = environmentSettingsSchema.safeParse({ ...parseJson(env.settings), name: env.name });
  return parsed.success ? parsed.data : null;
}

/**
 * Why the saved settings cannot be used, for messages: null when they are valid, "not finished" when the wizard
 * never saved any, else the rules they break (settings saved before a rule was added, edited by hand, ...).
 */
export function settingsProblem(env: { settings: string; name: string }): string | null {
  const saved = parseJson(env.settings);
  if (Object.keys(saved).length === 0) return "the wizard is not finished";
  const parsed = environmentSettingsSchema.safeParse({ ...saved, name: env.name });
  return parsed.success ? null : `the saved settings are not valid: ${describeErrors(parsed.error)}; fix them in the wizard`;
}

export function wizardStepOf(env: { wizardStep: string }): WizardStep {
  return (WIZARD_STEPS as readonly string[]).includes(env.wizardStep) ? (env.wizardStep as WizardStep) : "account";
}

/** The state shown in lists: from the newest apply run, else whether the wizard is finished. */
export function stateOf(
  env: { settings: string; name: string },
  lastApply: { status: string } | null | undefined,
): EnvironmentState {
  if (lastApply) {
    switch (lastApply.status) {
      case "queued":
      case "running":
        return "applying";
      case "succeeded":
        return "done";
      case "failed":
        return "failed";
      case "interrupted":
        return "interrupted";
      case "cancelled":
        return "cancelled";
    }
  }
  return settingsOf(env) ? "planned" : "draft";
}

/** Environments named like production get an extra confirmation before apply. */
export function looksLikeProduction(name: string): boolean {
  return /(^|[-_])(prod|production|prd|live)([-_]|$)/i.test(name);
}

/** The last discovery the plan page stored, or null before the first plan. */
export function observedOf(env: { observed: string | null }): Observed | null {
  return env.observed ? (parseJson(env.observed) as unknown as Observed) : null;
}

