// rds-db:connect: the RDS role reaches exactly one database user on exactly this database; the S3 role none.
// A wrong resource id (the instance name, another database) in the role's policy shows up here as a denial.
import { rdsDbUserArn } from "../../policies/arn";
import type { AccessFacts } from "../input";
import { node, roleNode, slug, type Question } from "../question";
import { asRole, type RoleCaller } from "../sources";
import type { AccessNode, Intent } from "../types";

/** A resource id of the same kind that is not this database's. */
export function otherResourceId(resourceId: string): string {
  const prefix = resourceId.startsWith("cluster-") ? "cluster-" : "db-";
  const other = `${prefix}ANOTHERDATABASE0000000000`;
  return other === resourceId ? `${other}1` : other;
}

/** A database user name that is neither the IAM user nor the master user. */
export function otherDbUser(taken: readonly string[]): string {
  return ["another_user", "another_user_2", "another_user_3"].find((u) => !taken.includes(u))!;
}

export function databaseQuestions(facts: AccessFacts, rds: RoleCaller, s3: RoleCaller): Question[] {
  const { resourceId, iamDbUser, masterUser } = facts.database;
  const arn = (id: string, user: string) => rdsDbUserArn(facts.partition, facts.region, facts.accountId, id, user);
  const dbDetail = `database ${resourceId}`;
  const iamUser = node("database", `${resourceId}/${iamDbUser}`, iamDbUser, `IAM database user, ${dbDetail}`, true);
  const anotherUser = otherDbUser([iamDbUser, masterUser]);
  const connect = (id: string, role: RoleCaller, to: AccessNode, dbUserArn: string, intent: Intent, question: string): Question => ({
    id: slug("connect", id),
    group: "database",
    question,
    from: roleNode(role.name),
    to,
    intent,
    request: asRole(facts, role, "rds-db:connect", dbUserArn),
  });
  const questions = [
    connect("iam-user", rds, iamUser, arn(resourceId, iamDbUser), "allow", `${rds.name} connects as ${iamDbUser} to ${resourceId}`),
    connect(
      "other-user",
      rds,
      node("database", `${resourceId}/${anotherUser}`, anotherUser, `another user, ${dbDetail}`, false),
      arn(resourceId, anotherUser),
      "deny",
      `${rds.name} connects as another user (${anotherUser})`,
    ),
    connect(
      "master-user",
      rds,
      node("database", `${resourceId}/${masterUser}`, masterUser, `master user, ${dbDetail}`, false),
      arn(resourceId, masterUser),
      "deny",
      `${rds.name} connects as the master user (${masterUser})`,
    ),
    connect(
      "other-database",
      rds,
      node("database", "other-database", iamDbUser, `same user on another database (${otherResourceId(resourceId)})`, false),
      arn(otherResourceId(resourceId), iamDbUser),
      "deny",
      `${rds.name} connects as ${iamDbUser} to another database (${otherResourceId(resourceId)})`,
    ),
  ];
  // One role for both jobs is allowed to do both; two roles each keep to their own.
  if (s3.arn !== rds.arn)
    questions.push(connect("s3-role", s3, iamUser, arn(resourceId, iamDbUser), "deny", `${s3.name} connects as ${iamDbUser}`));
  return questions;
}
