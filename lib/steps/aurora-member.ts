// An Aurora member instance typed in as the database is refused: IAM authentication is a cluster setting, and the
// member's `db-…` resource id would give pods an rds-db:connect policy that never matches (tokens are checked
// against the cluster's `cluster-…` id).
import type { EnvironmentSettings } from "../config/environment";
import { discoverFacts } from "./discover";
import type { Facts } from "./types";

export function auroraMemberBlocker(facts: Facts, s: EnvironmentSettings): string[] {
  const db = discoverFacts(facts).database;
  if (!db || db.kind !== "instance" || !db.clusterId) return [];
  return [
    `${s.dbIdentifier} is a member instance of Aurora cluster ${db.clusterId}: use the cluster (database kind "cluster", identifier ${db.clusterId}); ` +
      "IAM authentication is set on the cluster, and the instance's db-… resource id would give pods an rds-db:connect policy that never matches",
  ];
}
