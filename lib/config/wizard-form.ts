// Turns a wizard page's FormData into the input its zod schema expects: checkboxes to booleans, the schema
// list to an array, empty optional fields to undefined. Pure, so the rules stay in lib/config.
import type { z } from "zod";
import { WIZARD_SCHEMAS, type WizardStep } from "./environment";

type FormStep = Exclude<WizardStep, "review">;

/** Fields that are checkboxes: absent from FormData when unchecked. */
const BOOLEAN_FIELDS: Record<FormStep, string[]> = {
  account: [],
  database: ["reassignOwned", "defaultPrivileges"],
  storage: ["clusterEditRights"],
  helm: [],
};

/** Fields typed as comma- or space-separated lists. */
const LIST_FIELDS = ["schemas", "reassignConfirmDatabases"];

const CUSTOM_PATH_FIELDS = [
  "databaseConfig",
  "backendServiceAccount",
  "eventIngestionServiceAccount",
  "migrationServiceAccount",
  "modelServiceAccount",
  "modelServiceEnv",
] as const;

export function formToInput(step: FormStep, form: FormData): Record<string, unknown> {
  const keys = Object.keys(WIZARD_SCHEMAS[step].shape);
  const input: Record<string, unknown> = {};
  for (const key of keys) {
    if (BOOLEAN_FIELDS[step].includes(key)) {
      input[key] = form.get(key) === "on" || form.get(key) === "true";
      continue;
    }
    const raw = form.get(key);
    if (typeof raw !== "string") continue;
    const value = raw.trim();
    if (LIST_FIELDS.includes(key)) input[key] = value === "" ? undefined : value.split(/[\s,]+/).filter(Boolean);
    else if (key === "customPaths") continue;
    else input[key] = value === "" ? undefined : key === "dbCaBundle" ? raw : value;
  }
  if (step === "helm" && form.get("chartProfile") === "custom") {
    // Blank paths are left out, so a path with a default (the database config block) takes it.
    const paths: Record<string, string> = {};
    for (const f of CUSTOM_PATH_FIELDS) {
      const value = String(form.get(`customPaths.${f}`) ?? "").trim();
      if (value) paths[f] = value;
    }
    input.customPaths = paths;
  }
  return input;
}

/** Validates one wizard page; the parsed values or field errors keyed like the form fields. */
export function parseWizardStep(step: FormStep, form: FormData) {
  const schema = WIZARD_SCHEMAS[step] as z.ZodType;
  const input = formToInput(step, form);
  const result = schema.safeParse(input);
  return result.success ? ({ success: true, data: result.data } as const) : ({ success: false, error: result.error, input } as const);
}

export { CUSTOM_PATH_FIELDS };
export type { FormStep };

/** The defaults the schemas declare (e.g. iamDbUser = studio_iam_user), so forms show them from one source. */
export function schemaDefaults(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const schema of Object.values(WIZARD_SCHEMAS))
    for (const [key, field] of Object.entries(schema.shape)) {
      const r = (field as z.ZodType).safeParse(undefined);
      if (r.success && r.data !== undefined) out[key] = r.data;
    }
  return out;
}
