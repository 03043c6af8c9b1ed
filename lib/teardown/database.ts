import "server-only";
// Teardown step `teardown-database`: what the apply changed in the database. Turning IAM authentication off locks
// out every IAM user of the database (other applications' too), so it happens only as an explicit choice: the
// admin types the database identifier in the teardown form (like a bucket with models); otherwise the row is
// kept and the run says so. It is requested immediately only when nothing else is pending (ApplyImmediately
// would apply those too, some with a restart), else for the maintenance window, without waiting. Dropping the
// IAM user needs the DB admin and a decision about what it owns: shown as kept, with the SQL to run by hand.
import { enableIamAuth } from "../aws/rds";
import { scopes } from "../policies/scopes";
import { change, json } from "../steps/change";
import { dbLabel, discoverFacts } from "../steps/discover";
import { IAM_FLAG, otherPending } from "../steps/rds-iam-auth";
import { kept } from "./kept";
import type { Change, Facts, Step } from "../steps/types";
import type { EnvironmentSettings } from "../config/environment";

const KEY = "teardown-database";

function iamAuthRow(facts: Facts, s: EnvironmentSettings): Change {
  const instance = s.dbKind === "instance";
  const modify = instance ? "rds:ModifyDBInstance" : "rds:ModifyDBCluster";
  const resource = `IAM database authentication of ${dbLabel(s)}`;
  const db = discoverFacts(facts).database;
  if (!db) return kept(KEY, "iam-auth", modify, resource, "not found: nothing to turn off");
  if (!db.iamAuthEnabled) return kept(KEY, "iam-auth", modify, resource, "already off");
  // Requested off by an earlier teardown, not applied yet: asking again changes nothing.
  if (db.pendingModifications.includes(IAM_FLAG))
    return kept(KEY, "iam-auth", modify, resource, `being turned off: requested, RDS reports it pending (status ${db.status})`);
  const pending = otherPending(db);
  const now = pending.length === 0;
  const request = instance
    ? { DBInstanceIdentifier: s.dbIdentifier, EnableIAMDatabaseAuthentication: false, ApplyImmediately: now }
    : { DBClusterIdentifier: s.dbIdentifier, EnableIAMDatabaseAuthentication: false, ApplyImmediately: now };
  const when = now ? "immediately" : `at the next maintenance window (${pending.join(", ")} pending, which ApplyImmediately would also apply)`;
  return change(KEY, "iam-auth", {
    action: "delete",
    call: modify,
    resource,
    reason:
      `turned off ${when} only when you type ${s.dbIdentifier} in the teardown form: every IAM user of the database ` +
      "loses its login (other applications' too); otherwise kept",
    document: json(request),
    language: "json",
    needs: [modify],
    confirmName: s.dbIdentifier,
    async execute(ctx) {
      const r = await enableIamAuth(ctx.aws, ctx.cx, s.dbKind, s.dbIdentifier, now, false);
      return { requestId: r.requestId, message: `requested IAM database authentication off on ${s.dbIdentifier}, ${when}` };
    },
    cli: (w) =>
      w.command(
        "aws", "rds", instance ? "modify-db-instance" : "modify-db-cluster",
        instance ? "--db-instance-identifier" : "--db-cluster-identifier", s.dbIdentifier,
        "--no-enable-iam-database-authentication", now ? "--apply-immediately" : "--no-apply-immediately",
      ),
  });
}

function rows(facts: Facts, s: EnvironmentSettings): Change[] {
  const user = kept(
    KEY,
    "db-user",
    "sql",
    `database user ${s.iamDbUser} of database ${s.databaseName}`,
    "kept: not removed by teardown; as the DB admin, after Studio is back on its password user: REASSIGN OWNED BY the IAM user TO the original owner, DROP OWNED BY it, DROP ROLE it",
  );
  user.cli = (w) => w.note(`psql as the DB admin: REASSIGN OWNED BY ${s.iamDbUser} TO <owner>; DROP OWNED BY ${s.iamDbUser}; DROP ROLE ${s.iamDbUser};`);
  return [iamAuthRow(facts, s), user];
}

export const teardownDatabaseStep: Step<Record<string, never>> = {
  key: KEY,
  title: "The database settings (IAM authentication off only when chosen)",
  dependsOn: ["discover"],
  permissions: [{ actions: ["rds:ModifyDBInstance", "rds:ModifyDBCluster"], resources: scopes.database }],
  observe: async () => ({}),
  changes: (facts, s) => rows(facts, s),
};
