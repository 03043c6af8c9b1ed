// "Download rollback.sql": the SQL that takes the database back to the password user after the cutover, to run
// once Studio's values point at the password user again (lib/helm/rollback.ts). Everything the IAM user owns,
// tables its migrations created included, goes back to the original owner; then its privileges, its default
// privileges and the role itself (with its rds_iam and owner memberships) are dropped. One transaction, idempotent:
// a second run finds no IAM user and changes nothing. Pure: a string, for a route handler to serve.
import "server-only";
import { psqlExampleLines } from "./psql-example";
import { escapeIdentifier, escapeLiteral } from "pg";
import { IdentifierError, validateGrantSettings, type GrantOptions, type GrantSettings } from "./identifiers";
import { comment, dollarQuote } from "./grants-script";
import { GRANTS_LOCK } from "./statements";

export interface RollbackScriptContext extends GrantOptions {
  environmentName?: string;
  host?: string;
  port?: number;
  /** The environment's TLS to the database: the example command matches it. */
  tls?: "verify-full" | "disable";
}

const OWNER_MARK = "studio_console.rollback_owner_membership";

/** The rollback script. Throws IdentifierError on a bad name, or when there is no original owner to return to. */
export function renderRollbackSql(settings: GrantSettings, context: RollbackScriptContext = {}): string {
  const t = validateGrantSettings(settings, context);
  if (!t.originalDbOwner)
    throw new IdentifierError(
      "originalDbOwner",
      "is required for the rollback: the tables the IAM user created must go back to the password user, and without one they would be dropped",
    );
  const user = escapeIdentifier(t.iamDbUser);
  const owner = escapeIdentifier(t.originalDbOwner);
  const userLit = escapeLiteral(t.iamDbUser);
  const ownerLit = escapeLiteral(t.originalDbOwner);
  const host = context.host && /^[A-Za-z0-9.-]+$/.test(context.host) ? context.host : "<database endpoint>";
  const port = Number.isInteger(context.port) ? String(context.port) : "5432";
  const body = [
    `IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${userLit}) THEN`,
    `    RAISE NOTICE 'nothing to roll back: % does not exist', ${userLit};`,
    `    RETURN;`,
    `  END IF;`,
    `  -- The admin acts for both roles for this transaction only (REASSIGN and DROP OWNED need their privileges).`,
    `  IF NOT pg_has_role(current_user, ${ownerLit}, 'USAGE') THEN`,
    `    GRANT ${owner} TO CURRENT_USER;`,
    `    PERFORM set_config(${escapeLiteral(OWNER_MARK)}, 'on', true);`,
    `  END IF;`,
    `  IF NOT pg_has_role(current_user, ${userLit}, 'USAGE') THEN`,
    `    GRANT ${user} TO CURRENT_USER;`,
    `  END IF;`,
    `  -- Tables, sequences and indexes the IAM user owns (after REASSIGN OWNED, or created by its migrations), and`,
    `  -- databases it owns after REASSIGN OWNED, go back to the password user.`,
    `  REASSIGN OWNED BY ${user} TO ${owner};`,
    `  -- Its privileges here and on the database, and the default privileges both ways.`,
    `  DROP OWNED BY ${user};`,
    `  -- Its rds_iam and owner memberships go with the role. Fails, changing nothing, if it still has privileges in`,
    `  -- another database: run this script there too first (the error names them).`,
    `  DROP ROLE ${user};`,
    `  IF coalesce(current_setting(${escapeLiteral(OWNER_MARK)}, true), '') = 'on' THEN`,
    `    REVOKE ${owner} FROM CURRENT_USER;`,
    `  END IF;`,
  ].join("\n");
  const guard = [
    `IF current_database() <> ${escapeLiteral(t.databaseName)} THEN`,
    `    RAISE EXCEPTION 'connected to database %, but the rollback is for ${t.databaseName}: connect to ${t.databaseName}', current_database();`,
    `  END IF;`,
    `  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${ownerLit}) THEN`,
    `    RAISE EXCEPTION 'the original database user % does not exist: nothing to return ownership to', ${ownerLit};`,
    `  END IF;`,
  ].join("\n");
  return [
    `-- rollback.sql: takes Rasa Studio's database back to the password user ${t.originalDbOwner}${context.environmentName ? ` (environment ${comment(context.environmentName)})` : ""}.`,
    `-- First roll the Helm values back (useAwsIamAuth off, username ${t.originalDbOwner}: download rollback values) and`,
    `-- wait until no pod connects as ${t.iamDbUser}; then run this as the database admin, connected to ${t.databaseName}:`,
    ...psqlExampleLines({ host, port, database: t.databaseName, file: "rollback.sql", tls: context.tls }),
    `-- One transaction; running it again changes nothing.`,
    "",
    "BEGIN;",
    "SET LOCAL lock_timeout = '30s';",
    `${GRANTS_LOCK};`,
    "",
    `DO ${dollarQuote(`BEGIN\n  ${guard}\nEND`, "rollback")};`,
    "",
    `DO ${dollarQuote(`BEGIN\n  ${body}\nEND`, "rollback")};`,
    "",
    "COMMIT;",
    "",
  ].join("\n");
}
