// Who owns Studio's database today, and what each ownership choice means: the facts read from the server (read-only)
// and the plan's warnings built from them (pure). Without credentials the warnings still name the risks, from the
// settings and what RDS reports (the master user name); with them they name the exact objects and databases.
import "server-only";
import type { ClientBase } from "pg";
import { validateGrantSettings, type GrantOptions, type GrantSettings, type GrantTargets } from "./identifiers";

export interface OwnershipFacts {
  owner: string;
  exists: boolean;
  superuser: boolean;
  /** A member of rds_superuser (RDS's master user is). */
  rdsSuperuser: boolean;
  /** Every database on the server the owner owns (REASSIGN OWNED moves them all). */
  databases: string[];
  /** What the owner owns in the connected database, by kind (what REASSIGN OWNED moves here). */
  objectsHere: Array<{ kind: string; count: number }>;
}

/** Read-only facts about the original owner; call inside or outside a transaction. */
export async function observeOwnership(client: ClientBase, settings: GrantSettings, options: GrantOptions = {}): Promise<OwnershipFacts | null> {
  const t = validateGrantSettings(settings, options);
  if (!t.originalDbOwner) return null;
  const { rows } = await client.query<{ exists: boolean; superuser: boolean; rds_superuser: boolean; databases: string[] }>(
    `SELECT r.oid IS NOT NULL AS exists, coalesce(r.rolsuper, false) AS superuser,
        coalesce(EXISTS (SELECT FROM pg_roles s WHERE s.rolname = 'rds_superuser') AND r.oid IS NOT NULL
          AND pg_has_role(r.oid, 'rds_superuser', 'MEMBER'), false) AS rds_superuser,
        ARRAY(SELECT datname::text FROM pg_database WHERE datdba = r.oid ORDER BY datname) AS databases
       FROM (SELECT $1::name AS name) n LEFT JOIN pg_roles r ON r.rolname = n.name`,
    [t.originalDbOwner],
  );
  const row = rows[0];
  const objects = row.exists
    ? (
        await client.query<{ kind: string; count: number }>(
          `SELECT kind, count(*)::int AS count FROM (
             SELECT CASE
               WHEN d.classid = 'pg_class'::regclass THEN (SELECT CASE c.relkind
                 WHEN 'r' THEN 'tables' WHEN 'p' THEN 'tables' WHEN 'v' THEN 'views' WHEN 'm' THEN 'materialized views'
                 WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'foreign tables' WHEN 'i' THEN 'indexes' WHEN 'I' THEN 'indexes'
                 ELSE 'other relations' END FROM pg_class c WHERE c.oid = d.objid)
               WHEN d.classid = 'pg_namespace'::regclass THEN 'schemas'
               WHEN d.classid = 'pg_proc'::regclass THEN 'functions'
               WHEN d.classid = 'pg_type'::regclass THEN 'types'
               ELSE 'other objects' END AS kind
             FROM pg_shdepend d
            WHERE d.refclassid = 'pg_authid'::regclass AND d.deptype = 'o' AND d.classid <> 'pg_default_acl'::regclass
              AND d.refobjid = (SELECT oid FROM pg_roles WHERE rolname = $1::name)
              AND d.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())) k
           GROUP BY kind ORDER BY kind`,
          [t.originalDbOwner],
        )
      ).rows
    : [];
  return {
    owner: t.originalDbOwner,
    exists: row.exists,
    superuser: row.superuser,
    rdsSuperuser: row.rds_superuser,
    databases: row.databases,
    objectsHere: objects,
  };
}

export interface OwnershipAlternative {
  /** The setting that chooses it (or "by hand"). */
  choice: string;
  tradeOff: string;
}

export interface OwnershipWarning {
  id: "owner-is-administrative" | "reassign-maintenance-window" | "grants-only" | "no-original-owner";
  message: string;
  alternatives?: OwnershipAlternative[];
}

/**
 * The plan's warnings about ownership. Pure: `facts` (from observeOwnership) makes them exact; without it they
 * say what is known from the settings and `options.masterUsername` (RDS's MasterUsername, from discovery).
 */
export function ownershipWarnings(settings: GrantSettings, facts: OwnershipFacts | null = null, options: GrantOptions = {}): OwnershipWarning[] {
  const t = validateGrantSettings(settings, options);
  const warnings: OwnershipWarning[] = [];
  const owner = t.originalDbOwner;
  if (!owner) {
    if (!t.reassignOwned)
      warnings.push({
        id: "no-original-owner",
        message: `without the original database user (originalDbOwner) ${t.iamDbUser} gets table privileges only: Studio reads and writes after the cutover, but the next Studio upgrade whose migration alters or indexes an existing table fails with "must be owner". Set originalDbOwner to the user Studio connects as today`,
      });
    return warnings;
  }
  const administrative = administrativeOwner(t, facts);
  if (t.ownerMembership && administrative)
    warnings.push({
      id: "owner-is-administrative",
      message: `${owner} is ${administrative}: making ${t.iamDbUser} a member of it hands ${t.iamDbUser} (and every pod that can assume the RDS role) the master user's powers: creating roles and databases, reading and changing every database ${owner} can, granting rds_iam. Choose a narrower alternative unless that is acceptable`,
      alternatives: [
        {
          choice: "ownerAccess: grants-only",
          tradeOff: `no master powers for ${t.iamDbUser}; Studio reads and writes after the cutover, but migrations that alter or index existing tables fail with "must be owner" until those tables have an owner that is not the master user`,
        },
        {
          choice: "by hand, then membership",
          tradeOff: `narrowest, no outage: create a NOLOGIN role for Studio's objects, ALTER … OWNER TO it for each of Studio's tables and sequences, GRANT it to ${owner}, then set originalDbOwner to it; the console then makes ${t.iamDbUser} a member of that role only. Costs a manual ownership change of every Studio object`,
        },
        {
          choice: "reassignOwned (maintenance window)",
          tradeOff: `moves everything ${owner} owns in this database and every database it owns to ${t.iamDbUser}; with the master user as owner that is far more than Studio, so it is refused unless each other database is confirmed, and it is rarely right`,
        },
      ],
    });
  if (t.reassignOwned) warnings.push({ id: "reassign-maintenance-window", message: reassignMessage(t, facts) });
  else if (!t.ownerMembership)
    warnings.push({
      id: "grants-only",
      message: `${t.iamDbUser} gets table privileges but not ${owner}'s ownership rights: Studio reads and writes after the cutover, but the next Studio upgrade whose migration alters or indexes an existing table fails with "must be owner" (ownerAccess: membership avoids this)`,
    });
  return warnings;
}

function administrativeOwner(t: GrantTargets, facts: OwnershipFacts | null): string | null {
  const owner = t.originalDbOwner!;
  if (owner === t.masterUsername) return "the RDS master user (a member of rds_superuser)";
  if (facts?.superuser) return "a superuser";
  if (facts?.rdsSuperuser) return "a member of rds_superuser, like the RDS master user";
  if (owner === "postgres") return "postgres, usually the RDS master user (a member of rds_superuser)";
  return null;
}

function reassignMessage(t: GrantTargets, facts: OwnershipFacts | null): string {
  const owner = t.originalDbOwner!;
  const objects = facts
    ? facts.objectsHere.length
      ? facts.objectsHere.map((o) => `${o.count} ${o.count === 1 ? singular(o.kind) : o.kind}`).join(", ")
      : "no objects"
    : "every object it owns";
  const databases = facts
    ? facts.databases.length
      ? `the database${facts.databases.length === 1 ? "" : "s"} ${facts.databases.join(", ")}`
      : "no database"
    : `every database it owns on the server (refresh the plan with database credentials to see which)`;
  return (
    `maintenance window: REASSIGN OWNED BY ${owner} TO ${t.iamDbUser} moves ${objects} in ${t.databaseName} and ${databases} to ${t.iamDbUser}` +
    ` (from PostgreSQL 15 a database's public schema belongs to its owner, so it moves with the database). Until helm upgrade finishes,` +
    ` Studio still connects as ${owner}: it keeps reading and writing (the grants give ${owner} its table privileges back), but its` +
    ` migration job cannot alter or index the moved tables; in each database that moves, ${owner} loses ownership and CREATE in its public` +
    ` schema, so Keycloak, if it uses one of them as ${owner}, cannot run its own schema migrations. The rollback SQL moves everything back.` +
    ` Run it right before the Helm upgrade; REASSIGN refuses while ${owner} owns another database not confirmed in reassignConfirmDatabases`
  );
}

function singular(kind: string): string {
  return kind.replace(/ies$/, "y").replace(/(s)$/, "").replace(/indexe$/, "index");
}
