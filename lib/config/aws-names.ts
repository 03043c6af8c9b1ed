// Naming rules of AWS, Kubernetes and PostgreSQL, as zod schemas with messages that name the rule.
// One source: the wizard, the server actions, the engine and lib/postgres all validate with these.
import { z } from "zod";

export const regionSchema = z
  .string()
  .trim()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/, { error: "must be an AWS region code such as eu-west-1" });

export const accountIdSchema = z.string().regex(/^\d{12}$/, { error: "must be a 12-digit AWS account id" });

export const eksClusterNameSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, {
    error: "must be 1-100 letters, digits, hyphens or underscores, starting with a letter or digit",
  });

/** Kubernetes namespaces are DNS labels (RFC 1123). */
export const k8sNamespaceSchema = z
  .string()
  .trim()
  .max(63, { error: "must be at most 63 characters" })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    error: "must be lower-case letters, digits and hyphens, starting and ending with a letter or digit",
  });

/** Service account names are DNS subdomains; kept to labels plus dots. */
export const k8sNameSchema = z
  .string()
  .trim()
  .max(253, { error: "must be at most 253 characters" })
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, {
    error: "must be lower-case letters, digits, '-' or '.', starting and ending with a letter or digit",
  });

export const rdsIdentifierSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}$/, {
    error: "must be 1-63 letters, digits or hyphens, start with a letter, with no two hyphens in a row",
  })
  .refine((s) => !s.endsWith("-"), { error: "must not end with a hyphen" });

export const iamRoleNameSchema = z
  .string()
  .trim()
  .regex(/^[\w+=,.@-]{1,64}$/, { error: "must be 1-64 characters of letters, digits and +=,.@_-" });

/**
 * Prefixes and suffixes S3 reserves for its own names (AWS S3 user guide, "General purpose bucket naming rules":
 * sthree-configurator is covered by sthree-; the suffixes are access point, Object Lambda, Multi-Region Access
 * Point, directory bucket and table bucket aliases).
 */
const RESERVED_BUCKET_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_BUCKET_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** General-purpose bucket names (S3 naming rules). */
export const s3BucketNameSchema = z
  .string()
  .trim()
  .min(3, { error: "must be 3-63 characters" })
  .max(63, { error: "must be 3-63 characters" })
  .regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, {
    error: "must be lower-case letters, digits, '.' and '-', starting and ending with a letter or digit",
  })
  .refine((s) => !s.includes(".."), { error: "must not contain two adjacent periods" })
  .refine((s) => !/^\d+\.\d+\.\d+\.\d+$/.test(s), { error: "must not be formatted as an IP address" })
  .refine((s) => !RESERVED_BUCKET_PREFIXES.some((p) => s.startsWith(p)), {
    error: `must not start with a prefix S3 reserves (${["xn--", "sthree-", "amzn-s3-demo-"].join(", ")})`,
  })
  .refine((s) => !RESERVED_BUCKET_SUFFIXES.some((p) => s.endsWith(p)), {
    error: `must not end with a suffix S3 reserves (${["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].join(", ")})`,
  });

/**
 * PostgreSQL identifiers the console will quote: ASCII letters, digits, '_' and '$', starting with a letter
 * or '_', at most 63 bytes (NAMEDATALEN - 1; longer names are silently truncated by PostgreSQL). Anything
 * else (quotes, semicolons, spaces, unicode look-alikes) is refused before any SQL is built.
 */
export const pgIdentifierSchema = z
  .string()
  .min(1, { error: "must not be empty", abort: true })
  .max(63, { error: "must be at most 63 characters (PostgreSQL truncates longer names)" })
  .regex(/^[A-Za-z_][A-Za-z0-9_$]*$/, {
    error: "must start with a letter or '_' and contain only ASCII letters, digits, '_' or '$'",
  });

/**
 * Role names an application's IAM user must never have. The run grants the IAM user `rds_iam`, after which it can
 * only log in with IAM tokens: the master user (usually `postgres`), `rdsadmin` and the other RDS built-ins
 * (`rds_*`) would lose password login, and `public`, `none` and `pg_*` are reserved by PostgreSQL itself. Which
 * role is the master user or owns a database can only be read from the server; that check runs at grant time.
 */
export const RESERVED_DB_ROLE = /^(postgres|rdsadmin|rdsrepladmin|rdstopmgr|rds_.*|pg_.*|public|none)$/i;

/** The IAM database user: a PostgreSQL identifier that is not a reserved or administrative role. */
export const iamDbUserSchema = pgIdentifierSchema.refine((s) => !RESERVED_DB_ROLE.test(s), {
  error:
    "must not be a reserved or administrative role (postgres, rdsadmin, rds_*, pg_*, public, none): the run grants it rds_iam and it would lose password login",
});

/** The AWS partition of a region: ARNs differ between commercial, China and GovCloud. */
export type Partition = "aws" | "aws-cn" | "aws-us-gov";

export function partitionOf(region: string): Partition {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}
