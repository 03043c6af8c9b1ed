// Hostile input, table-driven: every field the wizard stores × values meant to break SQL, YAML, shells, ARNs,
// Kubernetes names and the pages (quotes, comments, reserved words, unicode look-alikes and direction marks,
// control characters, oversize, flow-style YAML and anchors). Each is either refused with a message on that
// field alone (naming the rule) or accepted only from the field's safe alphabet, which the SQL quoting, the YAML
// rendering and the CLI script all pass through unchanged. Refusal happens in the schema, before any AWS or SQL
// call can be made (tests/postgres/hostile-identifiers.test.ts proves no connection is opened for refused
// identifiers). Part of `npm run test:robust`.
import { describe, expect, it } from "vitest";
import { environmentSettingsSchema, fieldErrors } from "@/lib/config/environment";
import { VALID_SETTINGS } from "@/tests/support/settings";

/** Fields and the alphabet an accepted value must stay inside. */
const FIELDS: Record<string, RegExp> = {
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

const HOSTILE: [string, unknown][] = [
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

const cases = Object.keys(FIELDS).flatMap((field) => HOSTILE.map(([label, value]) => ({ field, label, value })));

describe("hostile input to every stored field", () => {
  it(`covers at least 150 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
  });

  it.each(cases)("$field ← $label: refused on that field with its rule, or accepted from the safe alphabet", ({ field, value }) => {
    const input = { ...VALID_SETTINGS, reassignOwned: false, [field]: value };
    const r = environmentSettingsSchema.safeParse(input);
    if (r.success) {
      const stored = (r.data as Record<string, unknown>)[field];
      // Accepted: what is stored stays inside the field's alphabet (trimmed spaces are the one normalisation).
      if (stored !== undefined) expect(String(stored)).toMatch(FIELDS[field]);
      return;
    }
    const errors = fieldErrors(r.error);
    expect(Object.keys(errors)).toEqual([field]);
    // The field's own rule, or (for a value that is not even text, which no form can post) zod's type rule.
    for (const message of errors[field]) expect(message).toMatch(/^(must|is|are) |^Invalid input: expected (string|number)/);
  });
});
