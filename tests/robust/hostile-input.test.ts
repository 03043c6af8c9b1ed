// Hostile input, table-driven: every field the wizard stores × values meant to break SQL, YAML, shells, ARNs,
// Kubernetes names and the pages (quotes, comments, reserved words, unicode look-alikes and direction marks,
// control characters, oversize, flow-style YAML and anchors). Each is either refused with a message on that
// field alone (naming the rule) or accepted only from the field's safe alphabet, which the SQL quoting, the YAML
// rendering and the CLI script all pass through unchanged. Refusal happens in the schema, before any AWS or SQL
// call can be made (tests/postgres/hostile-identifiers.test.ts proves no connection is opened for refused
// identifiers). Part of `npm run test:robust`.
import { describe, expect, it } from "vitest";
import { environmentSettingsSchema, fieldErrors } from "@/lib/config/environment";
import { FIELDS, HOSTILE_CASES } from "@/tests/support/hostile-values";
import { VALID_SETTINGS } from "@/tests/support/settings";

const cases = HOSTILE_CASES;

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
