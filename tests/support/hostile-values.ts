// The hostile-input table, one for every suite that uses it: the fields the wizard stores, each with the alphabet
// an accepted value must stay inside, and values meant to break SQL, YAML, shells, ARNs, Kubernetes names and the
// pages. tests/robust/hostile-input.test.ts runs it against the schema; tests/robust/hostile-server.robust.ts
// posts it to the running console.
/** Fields and the alphabet an accepted value must stay inside. */
export const FIELDS: Record<string, RegExp> = {
  name: /^[a-z0-9-]+$/,
  region: /^[a-z0-9-]+$/,
  clusterName: /^[A-Za-z0-9_-]+$/,
  dbIdentifier: /^[A-Za-z0-9-]+$/,
  databaseName: /^[A-Za-z0-9_$]+$/,
  iamDbUser: /^[A-Za-z0-9_$]+$/,
  originalDbOwner: /^[A-Za-z0-9_$]+$/,
  bucketName: /^[a-z0-9.-]+$/,
  rdsRoleName: /^[A-Za-z0-9+=,.@_-]+$/,
  s3RoleName: /^[A-Za-z0-9+=,.@_-]+$/,
  namespace: /^[a-z0-9-]+$/,
  releaseName: /^[a-z0-9-]+$/,
  backendServiceAccount: /^[a-z0-9.-]+$/,
  eventIngestionServiceAccount: /^[a-z0-9.-]+$/,
  migrationServiceAccount: /^[a-z0-9.-]+$/,
  modelServiceAccount: /^[a-z0-9.-]+$/,
  dbHostOverride: /^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/,
};

export const HOSTILE: [string, unknown][] = [
  ["single quote", "studio'x"],
  ["double quote and statement", 'x"; DROP TABLE y; --'],
  ["line comment", "studio--"],
  ["block comment", "studio/*x*/"],
  ["semicolon", "a;b"],
  ["dollar quoting", "$$x$$"],
  ["backslash", "a\\b"],
  ["newline", "studio\nx"],
  ["carriage return", "studio\rx"],
  ["NUL byte", "studio\u0000x"],
  ["tab", "studio\tx"],
  ["right-to-left override", "studio\u202Ex"],
  ["Cyrillic look-alike", "studіo"],
  ["zero-width space", "stu\u200Bdio"],
  ["emoji", "studio🙂"],
  ["HTML", "<script>alert(1)</script>"],
  ["shell substitution", "$(rm -rf /)"],
  ["backticks", "`id`"],
  ["path traversal", "../../etc/passwd"],
  ["YAML flow map", "{a: b}"],
  ["YAML flow sequence", "[1, 2, 3]"],
  ["YAML anchor", "&a x"],
  ["YAML alias", "*a"],
  ["YAML tag", "!!python/object:os.system"],
  ["YAML key", "key: value"],
  ["SQL reserved word", "select"],
  ["PostgreSQL's own role", "rds_iam"],
  ["the superuser", "postgres"],
  ["a pg_ role", "pg_signal_backend"],
  ["an ARN", "arn:aws:iam::123456789012:role/x"],
  ["wildcard", "*"],
  ["oversize", "a".repeat(10_000)],
  ["empty", ""],
  ["spaces only", "   "],
  ["a number", 42],
  ["an object", { $gt: "" }],
  ["an array", ["a", "b"]],
  ["null", null],
];

/** Every field × every value. */
export const HOSTILE_CASES = Object.keys(FIELDS).flatMap((field) => HOSTILE.map(([label, value]) => ({ field, label, value })));
