// Chart profiles: where each Studio chart version reads the values guide step 4 sets. A chart silently ignores
// keys it does not read, so a wrong path is a deploy that "works" with the wrong identity; the paths are
// therefore read from the chart sources, never guessed.
//
// Sources read (public repository RasaHQ/rasa-helm-charts, snapshot of 2026-07-21):
// - Studio 2.x: tags studio-2.2.0, studio-2.6.0 (main, 1eee5b4):
//     charts/studio/values.yaml, charts/studio/values.schema.json, charts/studio/README.md,
//     charts/studio/templates/_helpers.tpl ("studio.backend.serviceAccountName",
//     "studio.eventIngestion.serviceAccountName", "studio.backend.migration.serviceAccountName"),
//     charts/studio/templates/studio/_env.tpl (config.database.useAwsIamAuth compared as the string "true";
//     the schema types it `string`, so a YAML boolean fails `helm upgrade` validation),
//     charts/studio/templates/studio/backend/{serviceaccount,database-migration-serviceaccount,
//     database-migration-job}.yaml, charts/studio/templates/studio/event-ingestion/serviceaccount.yaml.
//   `backend.migration.serviceAccount` exists from studio-2.2.0 on; in 2.0.x-2.1.x the migration job runs
//   as the namespace's `default` service account and ignores the key.
// - Rasa Pro subchart (`rasa`, pinned by Studio 2.x/3.0 at rasa 1.2.x-2.3.0): tags rasa-1.2.0 and rasa-2.3.0,
//     charts/rasa/values.yaml, charts/rasa/values.schema.json, charts/rasa/templates/rasa/serviceaccount.yaml,
//     charts/rasa/templates/helpers/_helpers.tpl ("rasa.serviceAccountName" reads .Values.rasa.serviceAccount),
//     charts/rasa/templates/rasa/deployment.yaml (env is .Values.rasa.overrideEnv, which REPLACES every
//     default env var when set).
//   Seen from the Studio chart the subchart's `rasa.serviceAccount` is `rasa.rasa.serviceAccount`, NOT
//   `rasa.serviceAccount` (the subchart has no top-level serviceAccount key, so that path is ignored). Default:
//   create true, name "" → named after the subchart fullname, `rasapro` (Studio sets fullnameOverride).
// - Studio 3.x: no 3.x chart is released (charts/index.yaml on branch ci/helm-index lists studio up to 2.6.0).
//   Read: branch release/studio-3.0.0 (77b1845, chart 3.0.0-rc.11) and branch
//   release/studio-seed-user-and-github-app (7a5a6ce, chart 3.0.0-rc.12): charts/studio/values.yaml,
//   values.schema.json, README.md ("AWS RDS IAM Authentication"; "Rasa Pro Model Service Environment
//   Variables" documents `rasa.rasa.overrideEnv`), templates/_helpers.tpl. Those release candidates read
//   exactly the 2.x paths below, with the same subchart (rasa 2.3.0, fullnameOverride rasapro).
//   NOT CONFIRMED: the layout DESIGN.md describes for 3.x (`app`, `event-ingestion` only in `mode: separate`,
//   the Rasa Pro subchart at the root) appears in none of these sources. If the released 3.x chart moves the
//   keys, use the custom profile (or update STUDIO_3X below) from that chart's values.yaml.
import type { ChartProfile, CustomValuePaths, EnvironmentSettings } from "@/lib/config/environment";

/** Dotted value paths, one per block the console writes (same fields as the custom profile's). */
export type ValuePaths = Required<CustomValuePaths>;

/** An entry of a Kubernetes env list as the charts take it. */
export type EnvEntry =
  | { name: string; value: string }
  | { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } };

export interface ChartProfileInfo {
  label: string;
  paths: ValuePaths;
  /**
   * The chart's own default model-service env list. Helm replaces a list wholesale, so a values file that sets
   * the list without these entries would drop the Rasa Pro license and the OpenAI key from the model service.
   */
  modelServiceEnvDefaults: EnvEntry[];
  notes: string[];
}

/** Studio chart defaults of `rasa.rasa.overrideEnv` (identical in studio-2.2.0 … 2.6.0 and 3.0.0-rc.12). */
const STUDIO_MODEL_SERVICE_ENV: EnvEntry[] = [
  { name: "RASA_PRO_LICENSE", valueFrom: { secretKeyRef: { name: "studio-secrets", key: "RASA_PRO_LICENSE_SECRET_KEY" } } },
  { name: "OPENAI_API_KEY", valueFrom: { secretKeyRef: { name: "studio-secrets", key: "OPENAI_API_KEY_SECRET_KEY" } } },
];

const STUDIO_2X: ValuePaths = {
  databaseConfig: "config.database",
  backendServiceAccount: "backend.serviceAccount",
  eventIngestionServiceAccount: "eventIngestion.serviceAccount",
  migrationServiceAccount: "backend.migration.serviceAccount",
  modelServiceAccount: "rasa.rasa.serviceAccount",
  modelServiceEnv: "rasa.rasa.overrideEnv",
};

/** As read from chart 3.0.0-rc.12 (unreleased); see the note at the top of this file. */
const STUDIO_3X: ValuePaths = { ...STUDIO_2X };

export const CHART_PROFILE_INFO: Record<Exclude<ChartProfile, "custom">, ChartProfileInfo> = {
  "studio-2.x": {
    label: "Studio chart 2.x",
    paths: STUDIO_2X,
    modelServiceEnvDefaults: STUDIO_MODEL_SERVICE_ENV,
    notes: [
      "backend.migration.serviceAccount is read from chart 2.2.0 on; older charts run the migration job as the namespace's default service account.",
      "The model service account lives in the Rasa Pro subchart: rasa.rasa.serviceAccount (rasa.serviceAccount is ignored).",
    ],
  },
  "studio-3.x": {
    label: "Studio chart 3.x",
    paths: STUDIO_3X,
    modelServiceEnvDefaults: STUDIO_MODEL_SERVICE_ENV,
    notes: [
      "Paths read from the chart 3.0.0 release candidates (rc.11, rc.12), which keep the 2.x layout; no 3.x chart is released yet. Check them against your chart's values.yaml, or use custom paths.",
    ],
  },
};

/** The four service accounts, the settings field naming each, and the role it assumes. */
export const SERVICE_ACCOUNTS = [
  { path: "backendServiceAccount", nameField: "backendServiceAccount", role: "rds", purpose: "Studio backend" },
  { path: "eventIngestionServiceAccount", nameField: "eventIngestionServiceAccount", role: "rds", purpose: "Event ingestion" },
  { path: "migrationServiceAccount", nameField: "migrationServiceAccount", role: "rds", purpose: "DB migration job" },
  { path: "modelServiceAccount", nameField: "modelServiceAccount", role: "s3", purpose: "Rasa model service" },
] as const satisfies readonly {
  path: keyof ValuePaths;
  nameField: keyof EnvironmentSettings;
  role: "rds" | "s3";
  purpose: string;
}[];

type ProfileSettings = Pick<EnvironmentSettings, "chartProfile" | "customPaths"> &
  Partial<Pick<EnvironmentSettings, (typeof SERVICE_ACCOUNTS)[number]["nameField"]>>;

/** The value paths and chart defaults for an environment's chart profile. */
export function profileFor(settings: ProfileSettings): ChartProfileInfo {
  if (settings.chartProfile !== "custom") return CHART_PROFILE_INFO[settings.chartProfile];
  const custom = settings.customPaths;
  if (!custom) throw new Error("customPaths are required for the custom chart profile");
  const paths: ValuePaths = { ...custom, databaseConfig: custom.databaseConfig ?? "config.database" };
  assertNoSharedPaths(paths, settings);
  return {
    label: "Custom value paths",
    paths,
    // The chart behind custom paths is unknown: its default env list cannot be restored for it.
    modelServiceEnvDefaults: [],
    notes: [`Helm replaces ${paths.modelServiceEnv} wholesale: keep your chart's default entries in it.`],
  };
}

export function valuePathsFor(settings: ProfileSettings): ValuePaths {
  return profileFor(settings).paths;
}

/** `a.b.c` → `["a", "b", "c"]`; the schema already allows only `[A-Za-z0-9_-]` segments. */
export function splitPath(path: string): string[] {
  const parts = path.split(".");
  if (parts.some((p) => p === "")) throw new Error(`value path "${path}" must be a dotted path such as backend.serviceAccount`);
  return parts;
}

// Two service accounts written to one path would overwrite each other's name or role, and a trust policy would
// then name a service account that never exists. Sharing is fine only when name and role are the same.
function assertNoSharedPaths(paths: ValuePaths, settings: ProfileSettings) {
  for (const [i, a] of SERVICE_ACCOUNTS.entries())
    for (const b of SERVICE_ACCOUNTS.slice(i + 1)) {
      if (paths[a.path] !== paths[b.path]) continue;
      if (a.role === b.role && settings[a.nameField] === settings[b.nameField]) continue;
      throw new Error(
        `customPaths.${b.path} must differ from customPaths.${a.path} (both are ${paths[a.path]}) unless both name the same service account and role`,
      );
    }
}
