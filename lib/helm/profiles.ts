// Chart profiles: where each Studio chart version reads the values guide step 4 sets. A chart silently ignores
// keys it does not read, so a wrong path is a deploy that "works" with the wrong identity; the paths are
// therefore read from the chart sources, never guessed.
//
// Sources read (public repository RasaHQ/rasa-helm-charts):
// - Studio 2.x: tags studio-2.2.0, studio-2.6.0 (main, 1eee5b4):
//     charts/studio/values.yaml, charts/studio/values.schema.json, charts/studio/README.md,
//     charts/studio/templates/_helpers.tpl ("studio.backend.serviceAccountName",
//     "studio.eventIngestion.serviceAccountName", "studio.backend.migration.serviceAccountName"),
//     charts/studio/templates/studio/_env.tpl (config.database.useAwsIamAuth compared as the string "true";
//     the schema types it `string`, so a YAML boolean fails `helm upgrade` validation; DB_HOST is
//     config.database.host, DB_QUERY config.database.queryParams, DB_NAME config.database.backendDatabaseName),
//     charts/studio/templates/studio/backend/{serviceaccount,database-migration-serviceaccount,
//     database-migration-job}.yaml (DB_SSL is config.database.preferSSL), charts/studio/templates/studio/
//     event-ingestion/serviceaccount.yaml (event ingestion is its own Deployment, toggled by eventIngestion.enabled).
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
// - Studio 3.0.0-rc.9 … rc.13: branch feat/web-client-feature-flag-configmap-loop (bdd8b83, rc.9), branch
//     release/studio-3.0.0 (77b1845, rc.11), commit e8bc33c (rc.13) and branch
//     release/studio-seed-user-and-github-app (7a5a6ce, rc.12): charts/studio/values.yaml, values.schema.json,
//     README.md, templates/_helpers.tpl. Those release candidates read exactly the 2.x paths, with the same
//     subchart (rasa 2.3.0, fullnameOverride rasapro) and the same overrideEnv defaults.
// - Studio 3.0.0-rc.16: charts/studio/README.md at chart version 3.0.0-rc.16 ("Upgrading to chart 3.0.0": "rename
//     `backend` values to `app`"; values table: "app.serviceAccount defines the Kubernetes service account used by
//     the app pod", app.migration.serviceAccount, app.env (native EnvVar list), eventIngestion.mode "colocated
//     (default): ENABLE_EVENT_INGESTION=true on the app pod; no sibling Deployment. separate: deploy
//     {release}-app-ingestion … disabled", eventIngestion.serviceAccount "Applies only when eventIngestion.mode is
//     separate", config.database.databaseName, config.database.preferSSL, rasa.rasa.overrideEnv with the same two
//     defaults) and the 3.0 charts/studio/templates/_helpers.tpl ("studio.app.serviceAccountName",
//     "studio.app.migration.serviceAccountName", "studio.eventIngestion.serviceAccountName",
//     "studio.eventIngestion.validate" fails when eventIngestion.enabled is set) and
//     templates/studio/app/deployment.yaml (the app Deployment `<fullname>-app` runs as app.serviceAccount).
// Not read, so not covered by any profile: 3.0.0-rc.14, rc.15, and 3.0.0 itself (use the custom profile, or add
// a profile here from that chart's values.yaml).
import type { ChartProfile, CustomValuePaths, EnvironmentSettings, EventIngestionMode } from "@/lib/config/environment";

/** Dotted value paths, one per block the console writes (same fields as the custom profile's). */
export type ValuePaths = Required<CustomValuePaths>;

/** An entry of a Kubernetes env list as the charts take it. */
export type EnvEntry =
  | { name: string; value: string }
  | { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } };

/** Which top-level layout a chart reads: `backend` (2.x and the early 3.0 candidates) or the unified `app`. */
export type ChartLayout = "2.x" | "app";

export type ServiceAccountSlot = (typeof SERVICE_ACCOUNTS)[number];

export interface ChartProfileInfo {
  label: string;
  /** The chart versions whose sources show these paths. */
  covers: string;
  layout: ChartLayout | null;
  paths: ValuePaths;
  /** The service accounts the chart really reads with these settings (event ingestion depends on the mode). */
  serviceAccounts: ServiceAccountSlot[];
  /** What each service account's workload is called in this chart, for the comments in values.yaml. */
  purposes: Partial<Record<ServiceAccountSlot["path"], string>>;
  /**
   * The chart's own default model-service env list. Helm replaces a list wholesale, so a values file that sets
   * the list without these entries would drop the Rasa Pro license and the OpenAI key from the model service.
   */
  modelServiceEnvDefaults: EnvEntry[];
  /** The key in the database block naming Studio's database, or null when unknown. */
  databaseNameKey: "backendDatabaseName" | "databaseName" | null;
  /** Service-account paths a values file may carry that this chart never reads, with the path it reads instead. */
  ignoredServiceAccountPaths: Array<{ path: string; instead: string }>;
  /** The Deployment running the backend, after the chart's fullname (`<fullname>-backend` or `-app`). */
  backendDeploymentSuffix: string | null;
  notes: string[];
}

/** Studio chart defaults of `rasa.rasa.overrideEnv` (identical in studio-2.2.0 … 2.6.0, 3.0.0-rc.12 and rc.16). */
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

/** As read from the 3.0.0-rc.16 README and the 3.0 templates (see the sources above). */
const STUDIO_3_0_RC16: ValuePaths = {
  databaseConfig: "config.database",
  backendServiceAccount: "app.serviceAccount",
  eventIngestionServiceAccount: "eventIngestion.serviceAccount",
  migrationServiceAccount: "app.migration.serviceAccount",
  modelServiceAccount: "rasa.rasa.serviceAccount",
  modelServiceEnv: "rasa.rasa.overrideEnv",
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

const ALL_SERVICE_ACCOUNTS: ServiceAccountSlot[] = [...SERVICE_ACCOUNTS];
const slot = (path: ServiceAccountSlot["path"]) => SERVICE_ACCOUNTS.find((s) => s.path === path)!;

const TWO_X_LAYOUT = {
  layout: "2.x" as const,
  paths: STUDIO_2X,
  serviceAccounts: ALL_SERVICE_ACCOUNTS,
  purposes: {},
  modelServiceEnvDefaults: STUDIO_MODEL_SERVICE_ENV,
  databaseNameKey: "backendDatabaseName" as const,
  ignoredServiceAccountPaths: [
    { path: "app.serviceAccount", instead: "backend.serviceAccount" },
    { path: "app.migration.serviceAccount", instead: "backend.migration.serviceAccount" },
    { path: "rasa.serviceAccount", instead: "rasa.rasa.serviceAccount" },
  ],
  backendDeploymentSuffix: "-backend",
};

export const CHART_PROFILE_INFO: Record<Exclude<ChartProfile, "custom" | "studio-3.0-rc.16">, ChartProfileInfo> = {
  "studio-2.x": {
    label: "Studio chart 2.x",
    covers: "2.2.0 – 2.6.0 (2.0.x and 2.1.x too, except that their migration job ignores its service account)",
    ...TWO_X_LAYOUT,
    notes: [
      "backend.migration.serviceAccount is read from chart 2.2.0 on; older charts run the migration job as the namespace's default service account.",
      "The model service account lives in the Rasa Pro subchart: rasa.rasa.serviceAccount (rasa.serviceAccount is ignored).",
    ],
  },
  "studio-3.0-rc.11": {
    label: "Studio chart 3.0.0-rc.11 – rc.13 (2.x layout)",
    covers: "3.0.0-rc.9, rc.11, rc.12 and rc.13, whose sources keep the 2.x paths",
    ...TWO_X_LAYOUT,
    notes: [
      "These release candidates read the 2.x paths (backend.*, eventIngestion.enabled). From the chart whose README documents the `app` component (3.0.0-rc.16) choose the rc.16 profile.",
    ],
  },
};

/** Studio chart 3.0.0-rc.16: one `app` component; event ingestion by mode. */
function studio30rc16(mode: EventIngestionMode): ChartProfileInfo {
  const separate = mode === "separate";
  return {
    label: `Studio chart 3.0.0-rc.16 (app layout, event ingestion ${mode})`,
    covers: "3.0.0-rc.16",
    layout: "app",
    paths: STUDIO_3_0_RC16,
    serviceAccounts: [slot("backendServiceAccount"), ...(separate ? [slot("eventIngestionServiceAccount")] : []), slot("migrationServiceAccount"), slot("modelServiceAccount")],
    purposes: {
      backendServiceAccount:
        mode === "colocated" ? "Studio app (API, web client and the colocated event ingestion)" : "Studio app (API and web client)",
      eventIngestionServiceAccount: "Event ingestion (separate Deployment)",
    },
    modelServiceEnvDefaults: STUDIO_MODEL_SERVICE_ENV,
    databaseNameKey: "databaseName",
    ignoredServiceAccountPaths: [
      { path: "backend.serviceAccount", instead: "app.serviceAccount" },
      { path: "backend.migration.serviceAccount", instead: "app.migration.serviceAccount" },
      ...(separate
        ? []
        : [
            {
              path: "eventIngestion.serviceAccount",
              instead:
                mode === "colocated"
                  ? "app.serviceAccount (colocated event ingestion runs in the app pod)"
                  : "nothing (event ingestion is disabled)",
            },
          ]),
      { path: "rasa.serviceAccount", instead: "rasa.rasa.serviceAccount" },
    ],
    backendDeploymentSuffix: "-app",
    notes: [
      mode === "colocated"
        ? "eventIngestion.mode colocated (the chart's default): event ingestion runs inside the app pod, so the app's service account is the one that needs the RDS role; eventIngestion.serviceAccount is ignored."
        : mode === "separate"
          ? "eventIngestion.mode separate: event ingestion is its own Deployment with eventIngestion.serviceAccount, which gets the RDS role too."
          : "eventIngestion.mode disabled: no event ingestion consumer; eventIngestion.serviceAccount is ignored.",
      "The migration job runs as app.migration.serviceAccount, created as a Helm hook before each upgrade.",
    ],
  };
}

/** The chart profiles a person can choose, with the versions each covers (the wizard's options). */
export const CHART_PROFILE_CHOICES: Array<{ id: ChartProfile; label: string; covers: string }> = [
  { id: "studio-2.x", label: CHART_PROFILE_INFO["studio-2.x"].label, covers: CHART_PROFILE_INFO["studio-2.x"].covers },
  { id: "studio-3.0-rc.11", label: CHART_PROFILE_INFO["studio-3.0-rc.11"].label, covers: CHART_PROFILE_INFO["studio-3.0-rc.11"].covers },
  { id: "studio-3.0-rc.16", label: "Studio chart 3.0.0-rc.16 (app layout)", covers: "3.0.0-rc.16" },
  { id: "custom", label: "Custom value paths", covers: "any chart: you name each path" },
];

type ProfileSettings = Pick<EnvironmentSettings, "chartProfile" | "customPaths"> &
  Partial<Pick<EnvironmentSettings, (typeof SERVICE_ACCOUNTS)[number]["nameField"] | "eventIngestionMode">>;

/** The value paths and chart defaults for an environment's chart profile. */
export function profileFor(settings: ProfileSettings): ChartProfileInfo {
  if (settings.chartProfile === "studio-3.0-rc.16") return studio30rc16(settings.eventIngestionMode ?? "colocated");
  if (settings.chartProfile !== "custom") return CHART_PROFILE_INFO[settings.chartProfile];
  const custom = settings.customPaths;
  if (!custom) throw new Error("customPaths are required for the custom chart profile");
  const paths: ValuePaths = { ...custom, databaseConfig: custom.databaseConfig ?? "config.database" };
  assertNoSharedPaths(paths, settings);
  return {
    label: "Custom value paths",
    covers: "any chart: you name each path",
    layout: null,
    paths,
    serviceAccounts: ALL_SERVICE_ACCOUNTS,
    purposes: {},
    // The chart behind custom paths is unknown: its default env list cannot be restored for it.
    modelServiceEnvDefaults: [],
    databaseNameKey: null,
    ignoredServiceAccountPaths: [],
    backendDeploymentSuffix: null,
    notes: [`Helm replaces ${paths.modelServiceEnv} wholesale: keep your chart's default entries in it.`],
  };
}

export function valuePathsFor(settings: ProfileSettings): ValuePaths {
  return profileFor(settings).paths;
}

/**
 * The service accounts that assume a role, as the chart really runs them: the RDS role's trust policy names these
 * (with rc.16's colocated event ingestion, the app's account covers it and no event-ingestion account exists).
 */
export function roleServiceAccounts(settings: ProfileSettings & Pick<EnvironmentSettings, ServiceAccountSlot["nameField"]>, role: "rds" | "s3"): string[] {
  const names = profileFor(settings)
    .serviceAccounts.filter((sa) => sa.role === role)
    .map((sa) => settings[sa.nameField]);
  return [...new Set(names)];
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
