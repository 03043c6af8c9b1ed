import "server-only";
// The AWS CLI equivalent of the plan, for change review (and for admins who prefer to run it themselves).
// Built from the same plan rows: a resource the plan leaves unchanged appears as a comment only.
import type { EnvironmentSettings } from "../config/environment";
import { managedTags } from "../aws/tags";
import { RDS_POLICY_NAME, S3_POLICY_NAME } from "./desired";
import { buildPlan } from "./plan";
import type { Observed, PlannedChange } from "./types";

/** Single-quoted for POSIX shells. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function iamTags(doc: string | undefined): string {
  const tags = doc ? (JSON.parse(doc) as Record<string, string> | { Tags?: { Key: string; Value: string }[] }) : {};
  const list = "Tags" in tags && Array.isArray(tags.Tags) ? tags.Tags : Object.entries(tags).map(([Key, Value]) => ({ Key, Value: String(Value) }));
  return list.map((t) => shellQuote(`Key=${t.Key},Value=${t.Value}`)).join(" ");
}

class Script {
  lines: string[] = [];
  private files = 0;
  add(...lines: string[]) {
    this.lines.push(...lines);
  }
  /** Writes a document to a file under $work and returns the `file://` argument that reads it. */
  file(name: string, doc: string | undefined): string {
    const file = `$work/${String(++this.files).padStart(2, "0")}-${name}.json`;
    this.add(`cat > "${file}" <<'JSON'`, doc ?? "{}", "JSON");
    return `"file://${file}"`;
  }
}

function commandsFor(env: EnvironmentSettings, c: PlannedChange, s: Script) {
  const roleName = c.step === "rds-role" ? env.rdsRoleName : env.s3RoleName;
  const bucket = shellQuote(env.bucketName);
  const role = shellQuote(roleName);
  switch (c.call) {
    case "sts:GetCallerIdentity":
      return s.add("aws sts get-caller-identity");
    case "eks:DescribeCluster":
      return s.add(`aws eks describe-cluster --name ${shellQuote(env.clusterName)} --query cluster.identity.oidc.issuer --output text`);
    case "rds:DescribeDBInstances":
      return s.add(
        `aws rds describe-db-instances --db-instance-identifier ${shellQuote(env.dbIdentifier)} ` +
          "--query 'DBInstances[0].[DbiResourceId,IAMDatabaseAuthenticationEnabled,DBInstanceStatus]' --output text",
      );
    case "rds:DescribeDBClusters":
      return s.add(
        `aws rds describe-db-clusters --db-cluster-identifier ${shellQuote(env.dbIdentifier)} ` +
          "--query 'DBClusters[0].[DbClusterResourceId,IAMDatabaseAuthenticationEnabled,Status]' --output text",
      );
    case "iam:CreateOpenIDConnectProvider": {
      const doc = c.document ? (JSON.parse(c.document) as { Url: string }) : null;
      return s.add(
        `aws iam create-open-id-connect-provider --url ${shellQuote(doc?.Url ?? "<issuer>")} --client-id-list sts.amazonaws.com --tags ${iamTags(c.document)}`,
      );
    }
    case "iam:AddClientIDToOpenIDConnectProvider": {
      const doc = JSON.parse(c.document ?? "{}") as { OpenIDConnectProviderArn?: string };
      return s.add(
        `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${shellQuote(doc.OpenIDConnectProviderArn ?? "")} --client-id sts.amazonaws.com`,
      );
    }
    case "iam:CreateRole":
      if (c.resource.startsWith("tags of ")) return; // the tags go with create-role
      return s.add(
        `aws iam create-role --role-name ${role} --assume-role-policy-document ${s.file(`${roleName}-trust`, c.document)} ` +
          `--tags ${iamTags(JSON.stringify(managedTags(env.name)))}`,
      );
    case "iam:UpdateAssumeRolePolicy":
      return s.add(`aws iam update-assume-role-policy --role-name ${role} --policy-document ${s.file(`${roleName}-trust`, c.document)}`);
    case "iam:PutRolePolicy": {
      const policyName = c.step === "rds-role" ? RDS_POLICY_NAME : S3_POLICY_NAME;
      return s.add(
        `aws iam put-role-policy --role-name ${role} --policy-name ${shellQuote(policyName)} --policy-document ${s.file(`${roleName}-${policyName}`, c.document)}`,
      );
    }
    case "iam:TagRole":
      return s.add(`aws iam tag-role --role-name ${role} --tags ${iamTags(c.document)}`);
    case "s3:CreateBucket":
      return s.add(
        env.region === "us-east-1"
          ? `aws s3api create-bucket --bucket ${bucket}`
          : `aws s3api create-bucket --bucket ${bucket} --create-bucket-configuration LocationConstraint=${env.region}`,
      );
    case "s3:PutBucketTagging":
      return s.add(`aws s3api put-bucket-tagging --bucket ${bucket} --tagging ${s.file("bucket-tags", c.document)}`);
    case "s3:PutBucketVersioning":
      return s.add(`aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled`);
    case "s3:PutBucketEncryption":
      return s.add(
        `aws s3api put-bucket-encryption --bucket ${bucket} --server-side-encryption-configuration ${s.file("bucket-encryption", c.document)}`,
      );
    case "s3:PutPublicAccessBlock":
      return s.add(
        `aws s3api put-public-access-block --bucket ${bucket} --public-access-block-configuration ` +
          "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
      );
    case "s3:PutBucketPolicy":
      return s.add(`aws s3api put-bucket-policy --bucket ${bucket} --policy ${s.file("bucket-policy", c.document)}`);
    case "rds:ModifyDBInstance":
      return s.add(
        `aws rds modify-db-instance --db-instance-identifier ${shellQuote(env.dbIdentifier)} --enable-iam-database-authentication --apply-immediately`,
        `aws rds wait db-instance-available --db-instance-identifier ${shellQuote(env.dbIdentifier)}`,
      );
    case "rds:ModifyDBCluster":
      return s.add(
        `aws rds modify-db-cluster --db-cluster-identifier ${shellQuote(env.dbIdentifier)} --enable-iam-database-authentication --apply-immediately`,
        `aws rds wait db-cluster-available --db-cluster-identifier ${shellQuote(env.dbIdentifier)}`,
      );
    default:
      return s.add(`# ${c.call}: ${c.resource}`);
  }
}

/** Calls of the discover step worth repeating by hand (the rest is what later sections act on). */
const DISCOVERY_SHOWN = new Set(["eks:DescribeCluster", "rds:DescribeDBInstances", "rds:DescribeDBClusters"]);

export function renderCliScript(env: EnvironmentSettings, observed: Observed): string {
  const plan = buildPlan(env, observed);
  const s = new Script();
  s.add(
    "#!/usr/bin/env bash",
    `# Studio IAM Console, environment ${env.name}: the AWS CLI equivalent of the plan, for review.`,
    `# Account ${observed.identity.accountId} as ${observed.identity.arn}, region ${env.region}.`,
    "# Resources the plan leaves unchanged appear as comments only.",
    "set -euo pipefail",
    `export AWS_REGION=${shellQuote(env.region)}`,
    'work="$(mktemp -d)"',
    'trap \'rm -rf "$work"\' EXIT',
  );
  for (const w of plan.warnings) s.add(`# WARNING: ${w}`);
  for (const step of plan.steps) {
    s.add("", `# --- ${step.key}: ${step.title}`);
    for (const c of step.changes) {
      if (c.call === "sql") {
        s.add(`# SQL (${c.action}) as the DB admin: ${c.resource}`, ...(c.document ?? "").split("\n").map((l) => `#   ${l}`));
        continue;
      }
      if (c.action === "unchanged") {
        s.add(`# unchanged: ${c.resource}${c.reason ? ` (${c.reason})` : ""}`);
        continue;
      }
      if (c.step === "s3-bucket" && observed.bucket.state === "foreign") {
        s.add(`echo ${shellQuote(`bucket ${env.bucketName} belongs to another account: choose another name`)} >&2`, "exit 1");
        continue;
      }
      if (c.action === "read" && c.step === "discover" && !DISCOVERY_SHOWN.has(c.call)) continue;
      s.add(`# ${c.action}: ${c.resource}${c.reason ? ` (${c.reason})` : ""}`);
      commandsFor(env, c, s);
    }
  }
  return `${s.lines.join("\n")}\n`;
}
