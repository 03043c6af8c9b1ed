// SQL identifiers for the grants: validated with the one PostgreSQL naming rule (lib/config/aws-names.ts), then
// quoted with pg's own escaping function. Nothing reaches SQL text without passing through here; values travel as
// query parameters (or, in the hand-run grants.sql only, through pg's literal escaper).
import "server-only";
import { escapeIdentifier, escapeLiteral } from "pg";
import { pgIdentifierSchema } from "@/lib/config/aws-names";
import type { EnvironmentSettings } from "@/lib/config/environment";

/** A refused identifier: names the field and the rule, before any SQL is built. */
export class IdentifierError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field} ${rule}`);
    this.name = "IdentifierError";
  }
}

/**
 * Role names PostgreSQL or RDS reserve: `pg_*`, `public` and `none` cannot be created, and the RDS built-ins
 * (rds_iam, rds_superuser, rdsadmin, ...) must never become the application's IAM user.
 */
const RESERVED_ROLE = /^(pg_.*|public|none|rds_.*|rdsadmin|rdsrepladmin|rdstopmgr)$/i;

/** The value itself when it is a valid PostgreSQL identifier; otherwise an IdentifierError naming the rule. */
export function validIdentifier(field: string, value: unknown): string {
  if (typeof value !== "string") throw new IdentifierError(field, "must be a string");
  const parsed = pgIdentifierSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const rule = parsed.error.issues[0]?.message ?? "is not a valid PostgreSQL identifier";
  throw new IdentifierError(field, rule + lookAlikeHint(value));
}

/** Validated, then double-quoted and escaped by pg. */
export function quoteIdentifier(field: string, value: unknown): string {
  return escapeIdentifier(validIdentifier(field, value));
}

/** Validated, then quoted as a string literal by pg: only for the DO blocks of the hand-run grants.sql. */
export function quoteIdentifierLiteral(field: string, value: unknown): string {
  return escapeLiteral(validIdentifier(field, value));
}

/** A role the console will create or act on: a valid identifier that is not a reserved role name. */
export function validRoleName(field: string, value: unknown): string {
  const name = validIdentifier(field, value);
  if (RESERVED_ROLE.test(name))
    throw new IdentifierError(field, "must not be a reserved role name (pg_*, public, none, or an RDS built-in such as rds_iam)");
  return name;
}

// A look-alike letter (Cyrillic 'а' for Latin 'a') passes a glance but not the rule; saying where it is helps.
function lookAlikeHint(value: string): string {
  const index = [...value].findIndex((c) => c.codePointAt(0)! > 0x7e);
  if (index < 0) return "";
  const code = [...value][index].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
  return ` (character ${index + 1} is U+${code}, not ASCII: a look-alike letter?)`;
}

/** What the grants need from the environment (the ownership choices default to membership, nothing confirmed). */
export type GrantSettings = Pick<
  EnvironmentSettings,
  "databaseName" | "iamDbUser" | "schemas" | "originalDbOwner" | "reassignOwned" | "defaultPrivileges"
> &
  Partial<Pick<EnvironmentSettings, "ownerAccess" | "reassignConfirmDatabases">>;

export interface GrantOptions {
  /**
   * The role RDS creates when IAM authentication is enabled. Always `rds_iam` in production; injectable so a test
   * can observe the "role missing" refusal on a server where other tests need the stand-in to exist.
   */
  rdsIamRole?: string;
  /** The RDS master user (DescribeDBInstances' MasterUsername), from discovery: never the IAM user. */
  masterUsername?: string | null;
}

/** Roles that log in with a password by design on every RDS server: never given rds_iam. */
const ADMINISTRATIVE_ROLES = ["postgres", "rdsadmin"];

/** Every name the grants use, validated; the raw settings are not used past this point. */
export interface GrantTargets {
  databaseName: string;
  iamDbUser: string;
  schemas: string[];
  originalDbOwner: string | null;
  reassignOwned: boolean;
  /** Without REASSIGN: whether the IAM user becomes a member of the owner (needs originalDbOwner). */
  ownerMembership: boolean;
  /** Other databases of the owner that REASSIGN OWNED may move, confirmed by name. */
  reassignConfirmDatabases: string[];
  defaultPrivileges: boolean;
  rdsIamRole: string;
  masterUsername: string | null;
}

/** Validates every identifier and the cross-field rules; throws IdentifierError before any SQL exists. */
export function validateGrantSettings(settings: GrantSettings, options: GrantOptions = {}): GrantTargets {
  const databaseName = validIdentifier("databaseName", settings.databaseName);
  const iamDbUser = validRoleName("iamDbUser", settings.iamDbUser);
  if (!Array.isArray(settings.schemas) || settings.schemas.length === 0)
    throw new IdentifierError("schemas", "must list at least one schema");
  const schemas = [...new Set(settings.schemas.map((s, i) => validIdentifier(`schemas[${i}]`, s)))];
  // Unset is undefined (or null from JSON); an empty string is a bad name, not "unset".
  const owner = settings.originalDbOwner as string | null | undefined;
  const originalDbOwner = owner === undefined || owner === null ? null : validIdentifier("originalDbOwner", owner);
  const rdsIamRole = validIdentifier("rdsIamRole", options.rdsIamRole ?? "rds_iam");
  const masterUsername = options.masterUsername ? validIdentifier("masterUsername", options.masterUsername) : null;
  if (iamDbUser === masterUsername || ADMINISTRATIVE_ROLES.includes(iamDbUser.toLowerCase()))
    throw new IdentifierError(
      "iamDbUser",
      `must not be ${iamDbUser === masterUsername ? `the RDS master user (${masterUsername})` : iamDbUser}: the grants give the IAM user rds_iam, after which it can only log in with IAM tokens, and the master user, postgres and rdsadmin must keep their password login`,
    );
  const confirmed = settings.reassignConfirmDatabases ?? [];
  const reassignConfirmDatabases = [...new Set(confirmed.map((d, i) => validIdentifier(`reassignConfirmDatabases[${i}]`, d)))];
  if (originalDbOwner === iamDbUser)
    throw new IdentifierError(
      "iamDbUser",
      "must differ from originalDbOwner: a member of rds_iam can only log in with IAM tokens, so Keycloak and anything else using the owner's password would be locked out",
    );
  if (settings.reassignOwned && !originalDbOwner)
    throw new IdentifierError("originalDbOwner", "is required when REASSIGN OWNED is chosen");
  return {
    databaseName,
    iamDbUser,
    schemas,
    originalDbOwner,
    reassignOwned: settings.reassignOwned === true,
    ownerMembership: settings.reassignOwned !== true && originalDbOwner !== null && (settings.ownerAccess ?? "membership") === "membership",
    reassignConfirmDatabases,
    defaultPrivileges: settings.defaultPrivileges === true,
    rdsIamRole,
    masterUsername,
  };
}
