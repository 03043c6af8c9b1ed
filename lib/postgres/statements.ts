// Guide step 2's SQL as ordered, idempotent statements, each with a one-line why. One list serves four readers:
// the engine (apply.ts: check-then-act in one transaction, conditions as parameterised queries), the plan view
// (the exact statements), "Download grants.sql" (grants-script.ts: the same conditions as DO blocks) and the
// read-only observe (observe.ts: each statement's `inPlace` check, so a converged database shows no change).
//
// The cutover keeps a way back and needs no outage: the IAM user becomes a member of the owning role (it may
// alter and create what the owner may, so Studio's migrations keep working), the owner is left untouched (Keycloak
// and a rollback keep using it) and default privileges go both ways, so tables either user creates later stay
// reachable by the other. REASSIGN OWNED stays an explicit, maintenance-window choice.
import "server-only";
import { escapeIdentifier } from "pg";
import { validateGrantSettings, type GrantOptions, type GrantSettings, type GrantTargets } from "./identifiers";

/**
 * A refusal checked before any change. `check` is a SQL expression yielding text that names what is wrong, or
 * NULL when all is well; `$n` are parameters (`values`). The message's `{found}` is replaced by that text.
 */
export interface GrantGuard {
  id: string;
  check: string;
  values: string[];
  message: string;
}

export interface GrantStatement {
  id: string;
  /** What it acts on, in the guide's words. */
  resource: string;
  action: "create" | "update";
  why: string;
  /** The exact statement; identifiers validated and quoted, no values. */
  sql: string;
  /** Check-then-act: a boolean SQL expression (`$n` are `values`); the statement runs only when it is true. */
  onlyIf?: { condition: string; values: string[]; skipped: string };
  /** A transaction-local setting turned on when the statement runs, so the matching REVOKE knows to run. */
  marks?: string;
  /**
   * For observe: a boolean SQL expression (`$n` are `values`) that is true when running the statement would change
   * nothing. Statements with `onlyIf` are in place when their condition is false.
   */
  inPlace?: { condition: string; values: string[] };
  /** Granted and revoked within the transaction (the admin's temporary memberships): never a lasting change. */
  transient?: boolean;
}

export interface GrantPlan {
  targets: GrantTargets;
  /** Session settings for the transaction (no identifiers). */
  preamble: string[];
  guards: GrantGuard[];
  statements: GrantStatement[];
  /** Whose future objects ALTER DEFAULT PRIVILEGES covers: the original owner, else the connecting admin. */
  defaultPrivilegesFor: "originalDbOwner" | "CURRENT_USER" | null;
}

const OWNER_MARK = "studio_console.owner_membership";
const IAM_USER_MARK = "studio_console.iam_user_membership";

export const LOCKED_OUT =
  "a member of rds_iam can only log in with IAM tokens: Keycloak and anything else using this user's password would be locked out";

// Login roles holding the IAM user's privileges would inherit rds_iam with it. Superusers are members of every
// role on paper and are skipped. From PostgreSQL 16 a CREATEROLE user gets an ADMIN-only (no INHERIT, no SET)
// membership in each role it creates; that confers no privileges, so there only inheriting memberships count.
const LOGIN_MEMBERS = `(SELECT string_agg(r.rolname::text, ', ' ORDER BY r.rolname) FROM pg_roles r
  WHERE r.rolcanlogin AND NOT r.rolsuper AND r.rolname <> $1::name
    AND pg_has_role(r.oid, (SELECT oid FROM pg_roles WHERE rolname = $1::name),
      CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'USAGE' ELSE 'MEMBER' END))`;

// A temporary membership is granted only when the admin lacks the role's privileges and holds no grant of it
// that the later REVOKE could remove by mistake (before 16 one row per member; from 16 one per grantor).
const NEEDS_TEMPORARY_MEMBERSHIP = `NOT pg_has_role(current_user, $1::name, 'USAGE') AND NOT EXISTS (
    SELECT FROM pg_auth_members m
    WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = $1::name)
      AND m.member = (SELECT oid FROM pg_roles WHERE rolname = current_user)
      AND (m.grantor = m.member OR current_setting('server_version_num')::int < 160000))`;

// The role owns something in the connected database (default privileges aside: those are always its own).
const OWNS_OBJECTS_HERE = `EXISTS (
    SELECT FROM pg_shdepend d
    WHERE d.refclassid = 'pg_authid'::regclass AND d.deptype = 'o' AND d.classid <> 'pg_default_acl'::regclass
      AND d.refobjid = (SELECT oid FROM pg_roles WHERE rolname = $1::name)
      AND d.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()))`;

// Grants serialise per database: two environments applied at once on one database would otherwise both update
// its pg_database row (GRANT ... ON DATABASE) and one fails with "tuple concurrently updated". The key is a fixed
// namespace number and the database's name hash; the lock ends with the transaction.
export const GRANTS_LOCK = "SELECT pg_advisory_xact_lock(1936028769, hashtext(current_database()))";

const TABLE_RELKINDS = "'r', 'p', 'v', 'm', 'f'";
const TABLE_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"];
const SEQUENCE_PRIVILEGES = ["USAGE", "SELECT", "UPDATE"];

const roleOid = (n: number) => `(SELECT oid FROM pg_roles WHERE rolname = $${n}::name)`;
const schemaOid = (n: number) => `(SELECT oid FROM pg_namespace WHERE nspname = $${n}::name)`;
const sqlList = (items: string[]) => items.map((p) => `'${p}'`).join(", ");

/** The ACL grants the role (by its oid expression) every one of the privileges explicitly. */
function aclHasAll(acl: string, grantee: string, privileges: string[]): string {
  return `(SELECT count(DISTINCT a.privilege_type) FROM aclexplode(${acl}) a
      WHERE a.grantee = ${grantee} AND a.privilege_type IN (${sqlList(privileges)})) = ${privileges.length}`;
}

/** Every relation of the kinds in the schema is owned by the role or grants it all the privileges explicitly. */
function allRelationsGrant(relkinds: string, privileges: string[]): string {
  return `NOT EXISTS (SELECT FROM pg_class c WHERE c.relnamespace = ${schemaOid(2)} AND c.relkind IN (${relkinds})
      AND c.relowner <> ${roleOid(1)} AND NOT ${aclHasAll("c.relacl", roleOid(1), privileges)})`;
}

/** The default privileges of a role (`forRole`, an oid expression) in the schema grant the role $1 everything. */
function defaultsGrant(forRole: string, objtype: "r" | "S", privileges: string[]): string {
  return `coalesce((SELECT ${aclHasAll("d.defaclacl", roleOid(1), privileges)} FROM pg_default_acl d
      WHERE d.defaclrole = ${forRole} AND d.defaclnamespace = ${schemaOid(2)} AND d.defaclobjtype = '${objtype}'), false)`;
}

/** Validates the settings (throws IdentifierError first) and lists the guards and statements, in order. */
export function buildGrantPlan(settings: GrantSettings, options: GrantOptions = {}): GrantPlan {
  const t = validateGrantSettings(settings, options);
  const user = escapeIdentifier(t.iamDbUser);
  const db = escapeIdentifier(t.databaseName);
  const rdsIam = escapeIdentifier(t.rdsIamRole);
  const owner = t.originalDbOwner ? escapeIdentifier(t.originalDbOwner) : null;
  const defaultsFor = owner ?? "CURRENT_USER";
  const defaultsWho = t.originalDbOwner ?? "the connecting admin user";
  const defaultsForOid = t.originalDbOwner ? roleOid(3) : "(SELECT oid FROM pg_roles WHERE rolname = current_user)";
  const defaultsValues = (schema: string) => (t.originalDbOwner ? [t.iamDbUser, schema, t.originalDbOwner] : [t.iamDbUser, schema]);
  const iamUserMembershipAlways = t.reassignOwned || (t.defaultPrivileges && owner !== null);

  const guards: GrantGuard[] = [
    {
      id: "database",
      check: "CASE WHEN current_database() <> $1::name THEN current_database()::text END",
      values: [t.databaseName],
      message: `connected to database {found}, but the grants are for ${t.databaseName} (databaseName): connect to ${t.databaseName}, since ALL TABLES IN SCHEMA means the connected database`,
    },
    {
      id: "rds-iam-role",
      check: "CASE WHEN NOT EXISTS (SELECT FROM pg_roles WHERE rolname = $1::name) THEN $1::text END",
      values: [t.rdsIamRole],
      message:
        "the {found} role does not exist: IAM authentication is not enabled yet, or this is not an RDS database (enable IAM database authentication on the instance first)",
    },
    {
      id: "not-the-admin",
      check: "CASE WHEN $1::name IN (current_user, session_user) THEN $1::text END",
      values: [t.iamDbUser],
      message: `refusing to grant rds_iam to {found}, the user running these grants: ${LOCKED_OUT}; choose another iamDbUser`,
    },
  ];
  if (t.originalDbOwner)
    guards.push({
      id: "owner-exists",
      check: "CASE WHEN NOT EXISTS (SELECT FROM pg_roles WHERE rolname = $1::name) THEN $1::text END",
      values: [t.originalDbOwner],
      message: "originalDbOwner {found} does not exist on this server",
    });
  for (const schema of t.schemas)
    guards.push({
      id: `schema-exists:${schema}`,
      check: "CASE WHEN NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1::name) THEN $1::text END",
      values: [schema],
      message: `schema {found} does not exist in database ${t.databaseName} (schemas)`,
    });
  // An existing user that owns the database or objects in it, and is not in rds_iam yet, is a password user
  // today (Studio's or Keycloak's, typically): making it the IAM user would lock whatever uses it out. A user the
  // console set up before is already in rds_iam (and may own everything after REASSIGN), so it passes.
  guards.push({
    id: "not-a-password-user",
    check: `CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = $1::name)
      AND NOT pg_has_role($1::name, $2::name, 'MEMBER')
      AND ((SELECT datdba FROM pg_database WHERE datname = current_database()) = (SELECT oid FROM pg_roles WHERE rolname = $1::name)
        OR ${OWNS_OBJECTS_HERE})
      THEN $1::text END`,
    values: [t.iamDbUser, t.rdsIamRole],
    message: `refusing to grant rds_iam to {found}: it already exists and owns the database or objects in it, so something logs in with its password today (Studio or Keycloak, typically); ${LOCKED_OUT}. Choose a new iamDbUser (the console creates it), and set originalDbOwner to {found} to move ownership with REASSIGN OWNED`,
  });
  guards.push({
    id: "no-login-members",
    check: LOGIN_MEMBERS,
    values: [t.iamDbUser],
    message: `refusing to grant rds_iam to ${t.iamDbUser}: these login roles are members of it and would inherit rds_iam: {found}; ${LOCKED_OUT}. REVOKE ${t.iamDbUser} FROM them first, or choose another iamDbUser`,
  });
  // A role that owns a database anywhere on the server (Keycloak's, the master user's) logs in with a password.
  // After REASSIGN OWNED the IAM user itself may own databases: it is already in rds_iam then, and passes.
  guards.push({
    id: "owns-a-database",
    check: `CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = $1::name) AND NOT pg_has_role($1::name, $2::name, 'MEMBER')
      THEN (SELECT string_agg(datname::text, ', ' ORDER BY datname) FROM pg_database WHERE datdba = ${roleOid(1)}) END`,
    values: [t.iamDbUser, t.rdsIamRole],
    message: `refusing to grant rds_iam to ${t.iamDbUser}: it owns the database(s) {found} on this server, so it is a password user today; ${LOCKED_OUT}. Choose a new iamDbUser (the console creates it)`,
  });
  guards.push({
    id: "not-a-superuser",
    check: "CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = $1::name AND rolsuper) THEN $1::text END",
    values: [t.iamDbUser],
    message: `refusing to grant rds_iam to {found}: it is a superuser, an administrative role that must keep its password login; choose another iamDbUser`,
  });
  if (t.reassignOwned && t.originalDbOwner)
    guards.push({
      id: "reassign-other-databases",
      check: `(SELECT string_agg(datname::text, ', ' ORDER BY datname) FROM pg_database
        WHERE datdba = ${roleOid(1)} AND datname <> current_database()
          AND NOT (datname::text = ANY (string_to_array($2::text, ','))))`,
      values: [t.originalDbOwner, t.reassignConfirmDatabases.join(",")],
      message: `refusing REASSIGN OWNED BY ${t.originalDbOwner}: it owns the other database(s) {found}, which would move to ${t.iamDbUser} too (in each, ${t.originalDbOwner} loses ownership and, from PostgreSQL 15, CREATE in its public schema, so Keycloak's schema migrations there fail). Confirm by listing them in reassignConfirmDatabases, or keep the owner and use owner membership (ownerAccess: membership) instead`,
    });

  const statements: GrantStatement[] = [
    {
      id: "create-user",
      resource: `database user ${t.iamDbUser}`,
      action: "create",
      why: "the user Studio logs in as with IAM tokens; no password, since tokens replace it",
      sql: `CREATE ROLE ${user} WITH LOGIN`,
      onlyIf: {
        condition: "NOT EXISTS (SELECT FROM pg_roles WHERE rolname = $1::name)",
        values: [t.iamDbUser],
        skipped: "the user already exists",
      },
    },
    {
      id: "grant-rds-iam",
      resource: `membership of ${t.iamDbUser} in ${t.rdsIamRole}`,
      action: "update",
      why: "RDS accepts IAM tokens (and only tokens) from members of rds_iam",
      sql: `GRANT ${rdsIam} TO ${user}`,
      onlyIf: {
        condition: "NOT pg_has_role($1::name, $2::name, 'MEMBER')",
        values: [t.iamDbUser, t.rdsIamRole],
        skipped: `already a member of ${t.rdsIamRole}`,
      },
    },
  ];
  if (owner)
    statements.push({
      id: "owner-membership",
      resource: `temporary membership of the admin in ${t.originalDbOwner}`,
      action: "update",
      why: `temporary, revoked before COMMIT: lets the admin grant on ${t.originalDbOwner}'s objects and set its default privileges`,
      sql: `GRANT ${owner} TO CURRENT_USER`,
      onlyIf: {
        condition: NEEDS_TEMPORARY_MEMBERSHIP,
        values: [t.originalDbOwner!],
        skipped: `the admin already holds ${t.originalDbOwner}'s privileges`,
      },
      marks: OWNER_MARK,
      transient: true,
    });
  statements.push({
    id: "iam-user-membership",
    resource: `temporary membership of the admin in ${t.iamDbUser}`,
    action: "update",
    why: `temporary, revoked before COMMIT: lets the admin set ${t.iamDbUser}'s default privileges, grant on objects it owns and reassign to it; a lasting membership would put the admin in rds_iam`,
    sql: `GRANT ${user} TO CURRENT_USER`,
    onlyIf: {
      // Needed for REASSIGN OWNED and for the IAM user's own default privileges; otherwise only when the IAM user
      // already owns objects here (tables its migrations created).
      condition: iamUserMembershipAlways ? NEEDS_TEMPORARY_MEMBERSHIP : `${NEEDS_TEMPORARY_MEMBERSHIP} AND ${OWNS_OBJECTS_HERE}`,
      values: [t.iamDbUser],
      skipped: iamUserMembershipAlways
        ? `the admin already holds ${t.iamDbUser}'s privileges`
        : `not needed: ${t.iamDbUser} owns nothing here, or the admin already holds its privileges`,
    },
    marks: IAM_USER_MARK,
    transient: true,
  });
  if (t.ownerMembership && owner)
    statements.push({
      id: "owner-membership-of-iam-user",
      resource: `membership of ${t.iamDbUser} in ${t.originalDbOwner}`,
      action: "update",
      why: `${t.iamDbUser} may then alter, index and create what ${t.originalDbOwner} may, so Studio's migrations keep working after the cutover; ${t.originalDbOwner} keeps owning everything (Keycloak and a rollback still use it)`,
      sql: `GRANT ${owner} TO ${user}`,
      onlyIf: {
        condition: `NOT pg_has_role($1::name, $2::name, 'USAGE')`,
        values: [t.iamDbUser, t.originalDbOwner!],
        skipped: `${t.iamDbUser} already holds ${t.originalDbOwner}'s privileges`,
      },
    });
  statements.push({
    id: "grant-database",
    resource: `database ${t.databaseName}`,
    action: "update",
    why: "CONNECT, CREATE and TEMPORARY on the database",
    sql: `GRANT ALL PRIVILEGES ON DATABASE ${db} TO ${user}`,
    inPlace: {
      condition: aclHasAll("(SELECT datacl FROM pg_database WHERE datname = current_database())", roleOid(1), ["CONNECT", "CREATE", "TEMPORARY"]),
      values: [t.iamDbUser],
    },
  });
  for (const name of t.schemas) {
    const schema = escapeIdentifier(name);
    statements.push(
      {
        id: `grant-schema:${name}`,
        resource: `schema ${name}`,
        action: "update",
        why: "USAGE and CREATE in the schema",
        sql: `GRANT ALL ON SCHEMA ${schema} TO ${user}`,
        inPlace: {
          condition: aclHasAll(`(SELECT nspacl FROM pg_namespace WHERE nspname = $2::name)`, roleOid(1), ["USAGE", "CREATE"]),
          values: [t.iamDbUser, name],
        },
      },
      {
        id: `grant-tables:${name}`,
        resource: `all tables in schema ${name}`,
        action: "update",
        why: "every table, view and materialized view that exists now",
        sql: `GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA ${schema} TO ${user}`,
        inPlace: { condition: allRelationsGrant(TABLE_RELKINDS, TABLE_PRIVILEGES), values: [t.iamDbUser, name] },
      },
      {
        id: `grant-sequences:${name}`,
        resource: `all sequences in schema ${name}`,
        action: "update",
        why: "every sequence that exists now (serial and identity columns)",
        sql: `GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA ${schema} TO ${user}`,
        inPlace: { condition: allRelationsGrant("'S'", SEQUENCE_PRIVILEGES), values: [t.iamDbUser, name] },
      },
    );
    if (t.defaultPrivileges)
      statements.push(
        {
          id: `default-tables:${name}`,
          resource: `default privileges on tables in schema ${name}`,
          action: "update",
          why: `tables ${defaultsWho} creates later in the schema are granted too`,
          sql: `ALTER DEFAULT PRIVILEGES FOR ROLE ${defaultsFor} IN SCHEMA ${schema} GRANT ALL ON TABLES TO ${user}`,
          inPlace: { condition: defaultsGrant(defaultsForOid, "r", TABLE_PRIVILEGES), values: defaultsValues(name) },
        },
        {
          id: `default-sequences:${name}`,
          resource: `default privileges on sequences in schema ${name}`,
          action: "update",
          why: `sequences ${defaultsWho} creates later in the schema are granted too`,
          sql: `ALTER DEFAULT PRIVILEGES FOR ROLE ${defaultsFor} IN SCHEMA ${schema} GRANT ALL ON SEQUENCES TO ${user}`,
          inPlace: { condition: defaultsGrant(defaultsForOid, "S", SEQUENCE_PRIVILEGES), values: defaultsValues(name) },
        },
      );
    // The other way: tables the IAM user's migrations create stay reachable by the original (password) user.
    if (t.defaultPrivileges && owner)
      statements.push(
        {
          id: `default-back-tables:${name}`,
          resource: `default privileges on tables ${t.iamDbUser} creates in schema ${name}`,
          action: "update",
          why: `tables ${t.iamDbUser} creates later (Studio's migrations after the cutover) stay reachable by ${t.originalDbOwner}, for Keycloak-era tools and a rollback`,
          sql: `ALTER DEFAULT PRIVILEGES FOR ROLE ${user} IN SCHEMA ${schema} GRANT ALL ON TABLES TO ${owner}`,
          inPlace: { condition: defaultsGrant(roleOid(3), "r", TABLE_PRIVILEGES), values: [t.originalDbOwner!, name, t.iamDbUser] },
        },
        {
          id: `default-back-sequences:${name}`,
          resource: `default privileges on sequences ${t.iamDbUser} creates in schema ${name}`,
          action: "update",
          why: `sequences ${t.iamDbUser} creates later stay usable by ${t.originalDbOwner}`,
          sql: `ALTER DEFAULT PRIVILEGES FOR ROLE ${user} IN SCHEMA ${schema} GRANT ALL ON SEQUENCES TO ${owner}`,
          inPlace: { condition: defaultsGrant(roleOid(3), "S", SEQUENCE_PRIVILEGES), values: [t.originalDbOwner!, name, t.iamDbUser] },
        },
      );
  }
  if (t.reassignOwned && owner) {
    statements.push({
      id: "reassign-owned",
      resource: `objects owned by ${t.originalDbOwner}`,
      action: "update",
      why: `${t.iamDbUser} becomes the owner of everything ${t.originalDbOwner} owns in this database, and of databases it owns`,
      sql: `REASSIGN OWNED BY ${owner} TO ${user}`,
      inPlace: {
        condition: `NOT ${OWNS_OBJECTS_HERE} AND NOT EXISTS (SELECT FROM pg_database WHERE datdba = ${roleOid(1)})`,
        values: [t.originalDbOwner!],
      },
    });
    // Studio keeps connecting as the original user until helm upgrade finishes: it keeps reading and writing.
    for (const name of t.schemas) {
      const schema = escapeIdentifier(name);
      statements.push(
        {
          id: `grant-back-tables:${name}`,
          resource: `all tables in schema ${name}, for ${t.originalDbOwner}`,
          action: "update",
          why: `${t.originalDbOwner} keeps reading and writing the tables it no longer owns (Studio uses it until the Helm upgrade, a rollback after)`,
          sql: `GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA ${schema} TO ${owner}`,
          inPlace: { condition: allRelationsGrant(TABLE_RELKINDS, TABLE_PRIVILEGES), values: [t.originalDbOwner!, name] },
        },
        {
          id: `grant-back-sequences:${name}`,
          resource: `all sequences in schema ${name}, for ${t.originalDbOwner}`,
          action: "update",
          why: `${t.originalDbOwner} keeps using the sequences it no longer owns`,
          sql: `GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA ${schema} TO ${owner}`,
          inPlace: { condition: allRelationsGrant("'S'", SEQUENCE_PRIVILEGES), values: [t.originalDbOwner!, name] },
        },
      );
    }
  }
  statements.push(revokeMark("revoke-iam-user-membership", t.iamDbUser, user, IAM_USER_MARK));
  if (owner) statements.push(revokeMark("revoke-owner-membership", t.originalDbOwner!, owner, OWNER_MARK));

  return {
    targets: t,
    preamble: ["SET LOCAL lock_timeout = '30s'", GRANTS_LOCK],
    guards,
    statements,
    defaultPrivilegesFor: t.defaultPrivileges ? (owner ? "originalDbOwner" : "CURRENT_USER") : null,
  };
}

function revokeMark(id: string, role: string, quoted: string, mark: string): GrantStatement {
  return {
    transient: true,
    id,
    resource: `temporary membership of the admin in ${role}`,
    action: "update",
    why: "ends the temporary membership granted above, in the same transaction",
    sql: `REVOKE ${quoted} FROM CURRENT_USER`,
    onlyIf: {
      condition: "coalesce(current_setting($1::text, true), '') = 'on'",
      values: [mark],
      skipped: "no temporary membership was granted",
    },
  };
}
