import "server-only";
// Teardown step `teardown-database`: what the teardown does not undo in the database, shown as kept with the way
// to undo it by hand. Turning IAM authentication off locks out every IAM user of the database (other
// applications' too), and dropping the IAM user needs the DB admin and a decision about what it owns: neither is
// a side effect of removing the console's AWS resources.
import { dbLabel } from "../steps/discover";
import { kept } from "./kept";
import type { Change, Step } from "../steps/types";
import type { EnvironmentSettings } from "../config/environment";

const KEY = "teardown-database";

function rows(_facts: unknown, s: EnvironmentSettings): Change[] {
  const instance = s.dbKind === "instance";
  const modify = instance ? "rds:ModifyDBInstance" : "rds:ModifyDBCluster";
  const iamAuth = kept(
    KEY,
    "iam-auth",
    modify,
    `IAM database authentication of ${dbLabel(s)}`,
    "kept: not removed by teardown (other IAM users of the database would be locked out too); turn it off by hand once nothing uses it",
  );
  iamAuth.cli = (w) =>
    w.command(
      "aws", "rds", instance ? "modify-db-instance" : "modify-db-cluster",
      instance ? "--db-instance-identifier" : "--db-cluster-identifier", s.dbIdentifier,
      "--no-enable-iam-database-authentication", "--apply-immediately",
    );
  const user = kept(
    KEY,
    "db-user",
    "sql",
    `database user ${s.iamDbUser} of database ${s.databaseName}`,
    "kept: not removed by teardown; as the DB admin, after Studio is back on its password user: REASSIGN OWNED BY the IAM user TO the original owner, DROP OWNED BY it, DROP ROLE it",
  );
  user.cli = (w) => w.note(`psql as the DB admin: REASSIGN OWNED BY ${s.iamDbUser} TO <owner>; DROP OWNED BY ${s.iamDbUser}; DROP ROLE ${s.iamDbUser};`);
  return [iamAuth, user];
}

export const teardownDatabaseStep: Step<Record<string, never>> = {
  key: KEY,
  title: "Keep the database settings (undo them by hand)",
  dependsOn: ["discover"],
  permissions: [],
  observe: async () => ({}),
  changes: (facts, s) => rows(facts, s),
};
