// Read-back of the grants, as checks: what the IAM user can actually do, object by object, whoever ran the SQL
// (the console, or a DBA with grants.sql). Read-only; every value is a query parameter.
import "server-only";
import type { ClientBase } from "pg";
import type { Check } from "./types";
import { validateGrantSettings, type GrantOptions, type GrantSettings } from "./identifiers";

const TABLE_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"];
const SEQUENCE_PRIVILEGES = ["USAGE", "SELECT", "UPDATE"];
/** Objects listed by name in a detail before "and N more". */
const LISTED = 10;

export async function readBackGrants(client: ClientBase, settings: GrantSettings, options: GrantOptions = {}): Promise<Check[]> {
  const t = validateGrantSettings(settings, options);
  const user = t.iamDbUser;
  const checks: Check[] = [];

  const role = await one<{ rolcanlogin: boolean }>(client, "SELECT rolcanlogin FROM pg_roles WHERE rolname = $1::name", [user]);
  checks.push({
    name: `database user ${user}`,
    ok: role?.rolcanlogin === true,
    detail: !role ? "does not exist" : role.rolcanlogin ? "exists WITH LOGIN" : "exists but cannot log in (NOLOGIN)",
  });
  // Every other check asks about this role; PostgreSQL errors on a missing one.
  if (!role) return checks;

  const rdsIam = await one<{ member: boolean | null }>(
    client,
    `SELECT CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = $2::name)
       THEN pg_has_role($1::name, $2::name, 'MEMBER') END AS member`,
    [user, t.rdsIamRole],
  );
  checks.push({
    name: `${t.rdsIamRole} membership of ${user}`,
    ok: rdsIam?.member === true,
    detail:
      rdsIam?.member === null
        ? `the ${t.rdsIamRole} role does not exist: IAM authentication is not enabled yet, or this is not an RDS database`
        : rdsIam?.member
          ? `${user} is a member: RDS accepts IAM tokens for it`
          : `${user} is not a member: RDS will not accept IAM tokens for it`,
  });

  const db = await one<{ missing: string[] }>(
    client,
    `SELECT ARRAY(SELECT p FROM unnest(ARRAY['CONNECT', 'CREATE', 'TEMPORARY']) p
       WHERE NOT has_database_privilege($1::name, (SELECT oid FROM pg_database WHERE datname = $2::name), p)) AS missing`,
    [user, t.databaseName],
  );
  checks.push(privilegeCheck(`privileges on database ${t.databaseName}`, db?.missing ?? [], "CONNECT, CREATE, TEMPORARY"));

  for (const schema of t.schemas) checks.push(...(await schemaChecks(client, user, schema)));
  if (t.ownerMembership && t.originalDbOwner) checks.push(await membershipCheck(client, user, t.originalDbOwner));
  if (t.reassignOwned && t.originalDbOwner) {
    checks.push(await ownershipCheck(client, t.originalDbOwner, user));
    // The original user keeps reading and writing what it no longer owns.
    for (const schema of t.schemas)
      checks.push(
        relabel(await objectCheck(client, t.originalDbOwner, schema, "tables", "('r', 'p', 'v', 'm', 'f')", "has_table_privilege", TABLE_PRIVILEGES), t.originalDbOwner),
        relabel(await objectCheck(client, t.originalDbOwner, schema, "sequences", "('S')", "has_sequence_privilege", SEQUENCE_PRIVILEGES), t.originalDbOwner),
      );
  }
  if (t.defaultPrivileges)
    for (const schema of t.schemas) {
      checks.push(...(await defaultPrivilegeChecks(client, t.originalDbOwner, user, schema)));
      if (t.originalDbOwner) checks.push(...(await defaultPrivilegeChecks(client, user, t.originalDbOwner, schema)));
    }
  return checks;
}

async function schemaChecks(client: ClientBase, user: string, schema: string): Promise<Check[]> {
  const exists = await one(client, "SELECT 1 AS one FROM pg_namespace WHERE nspname = $1::name", [schema]);
  if (!exists) return [{ name: `privileges on schema ${schema}`, ok: false, detail: "the schema does not exist" }];
  const s = await one<{ missing: string[] }>(
    client,
    `SELECT ARRAY(SELECT p FROM unnest(ARRAY['USAGE', 'CREATE']) p
       WHERE NOT has_schema_privilege($1::name, (SELECT oid FROM pg_namespace WHERE nspname = $2::name), p)) AS missing`,
    [user, schema],
  );
  return [
    privilegeCheck(`privileges on schema ${schema}`, s?.missing ?? [], "USAGE, CREATE"),
    await objectCheck(client, user, schema, "tables", "('r', 'p', 'v', 'm', 'f')", "has_table_privilege", TABLE_PRIVILEGES),
    await objectCheck(client, user, schema, "sequences", "('S')", "has_sequence_privilege", SEQUENCE_PRIVILEGES),
  ];
}

/** Every object of the kind in the schema, each privilege of ALL checked on its own (a list would mean "any"). */
async function objectCheck(
  client: ClientBase,
  user: string,
  schema: string,
  kind: "tables" | "sequences",
  relkinds: string,
  fn: "has_table_privilege" | "has_sequence_privilege",
  privileges: string[],
): Promise<Check> {
  const { rows } = await client.query<{ relname: string; missing: string[] }>(
    `SELECT c.relname, ARRAY(SELECT p FROM unnest($3::text[]) p WHERE NOT ${fn}($1::name, c.oid, p)) AS missing
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $2::name AND c.relkind IN ${relkinds}
      ORDER BY c.relname`,
    [user, schema, privileges],
  );
  const lacking = rows.filter((r) => r.missing.length > 0);
  const name = `privileges on all ${kind} in schema ${schema}`;
  if (rows.length === 0) return { name, ok: true, detail: `no ${kind} in the schema yet` };
  if (lacking.length === 0)
    return { name, ok: true, detail: `all ${rows.length} ${kind} grant ${privileges.join(", ")} to ${user}` };
  const listed = lacking.slice(0, LISTED).map((r) => `${schema}.${r.relname} (${r.missing.join(", ")})`);
  const more = lacking.length > LISTED ? `; and ${lacking.length - LISTED} more` : "";
  return { name, ok: false, detail: `missing on ${lacking.length} of ${rows.length} ${kind}: ${listed.join("; ")}${more}` };
}

/** The IAM user holds the owner's privileges (it may alter and index the owner's tables). */
async function membershipCheck(client: ClientBase, user: string, owner: string): Promise<Check> {
  const name = `membership of ${user} in ${owner}`;
  const row = await one<{ member: boolean | null }>(
    client,
    `SELECT CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = $2::name) THEN pg_has_role($1::name, $2::name, 'USAGE') END AS member`,
    [user, owner],
  );
  if (row?.member === null) return { name, ok: false, detail: `${owner} does not exist` };
  return row?.member
    ? { name, ok: true, detail: `${user} holds ${owner}'s privileges: its migrations may alter and index ${owner}'s tables` }
    : { name, ok: false, detail: `${user} is not a member of ${owner}: migrations that alter ${owner}'s tables fail with "must be owner"` };
}

function relabel(check: Check, who: string): Check {
  return { ...check, name: `${check.name} (for ${who})` };
}

/** After REASSIGN OWNED nothing in this database (nor any database) is still owned by the original owner. */
async function ownershipCheck(client: ClientBase, owner: string, user: string): Promise<Check> {
  const name = `ownership moved from ${owner} to ${user}`;
  const exists = await one(client, "SELECT 1 AS one FROM pg_roles WHERE rolname = $1::name", [owner]);
  if (!exists) return { name, ok: false, detail: `${owner} does not exist` };
  const { rows } = await client.query<{ object: string }>(
    `SELECT pg_describe_object(d.classid, d.objid, d.objsubid) AS object
       FROM pg_shdepend d
      WHERE d.refclassid = 'pg_authid'::regclass AND d.deptype = 'o'
        -- default privileges stay the role's own (REASSIGN OWNED leaves them, by design)
        AND d.classid <> 'pg_default_acl'::regclass
        AND d.refobjid = (SELECT oid FROM pg_roles WHERE rolname = $1::name)
        AND d.dbid IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
      ORDER BY 1`,
    [owner],
  );
  if (rows.length === 0) return { name, ok: true, detail: `${owner} owns nothing in this database and no database` };
  const listed = rows.slice(0, LISTED).map((r) => r.object);
  const more = rows.length > LISTED ? `; and ${rows.length - LISTED} more` : "";
  return { name, ok: false, detail: `${owner} still owns ${rows.length}: ${listed.join("; ")}${more}` };
}

/** pg_default_acl entries for the owner (the original owner, else the connected admin) in the schema. */
async function defaultPrivilegeChecks(client: ClientBase, owner: string | null, user: string, schema: string): Promise<Check[]> {
  const checks: Check[] = [];
  for (const [objtype, kind, privileges] of [
    ["r", "tables", TABLE_PRIVILEGES],
    ["S", "sequences", SEQUENCE_PRIVILEGES],
  ] as const) {
    const row = await one<{ owner: string; missing: string[] }>(
      client,
      `SELECT o.rolname AS owner, ARRAY(
         SELECT p FROM unnest($4::text[]) p WHERE NOT EXISTS (
           SELECT FROM pg_default_acl d, aclexplode(d.defaclacl) a
            WHERE d.defaclrole = o.oid AND d.defaclobjtype = $5::"char"
              AND d.defaclnamespace IN (0, (SELECT oid FROM pg_namespace WHERE nspname = $3::name))
              AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = $2::name) AND a.privilege_type = p)) AS missing
         FROM pg_roles o WHERE o.rolname = coalesce($1::name, current_user)`,
      [owner, user, schema, [...privileges], objtype],
    );
    const who = row?.owner ?? owner ?? "the admin user";
    checks.push(
      row
        ? privilegeCheck(`default privileges on ${kind} ${who} creates in schema ${schema}`, row.missing, privileges.join(", "))
        : { name: `default privileges on ${kind} ${who} creates in schema ${schema}`, ok: false, detail: `${who} does not exist` },
    );
  }
  return checks;
}

function privilegeCheck(name: string, missing: string[], all: string): Check {
  return missing.length === 0 ? { name, ok: true, detail: `granted: ${all}` } : { name, ok: false, detail: `missing: ${missing.join(", ")}` };
}

async function one<R extends Record<string, unknown>>(client: ClientBase, text: string, values: unknown[]): Promise<R | undefined> {
  const { rows } = await client.query<R>(text, values);
  return rows[0];
}
