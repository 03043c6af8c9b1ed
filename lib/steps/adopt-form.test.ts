import { describe, expect, it } from "vitest";
import { adoptionsFromForm } from "./adopt-form";
import type { PlannedChange } from "./types";

const row = (c: Partial<PlannedChange>): PlannedChange => ({ id: "x", step: "rds-role", action: "unchanged", call: "iam:TagRole", resource: "r", needs: [], ...c });
const plan = {
  steps: [
    {
      changes: [
        row({ id: "rds-role:adopt", action: "adopt", resource: "IAM role admin-role", confirmName: "admin-role" }),
        row({ id: "rds-role:trust", action: "update" }),
      ],
    },
    { changes: [row({ id: "s3-bucket:adopt", step: "s3-bucket", action: "adopt", resource: "S3 bucket models", confirmName: "models" })] },
  ],
} as unknown as Parameters<typeof adoptionsFromForm>[0];

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

describe("the run form's adopt confirmations", () => {
  it("refuses each adoption whose name was not typed, naming its field and the rule", () => {
    expect(adoptionsFromForm(plan, form({ "confirmAdopt:admin-role": "admin-role", "confirmAdopt:models": "Models" }))).toEqual({
      ok: false,
      errors: { "confirmAdopt:models": ['must be "models" to adopt S3 bucket models, which the console did not create for this environment'] },
    });
  });

  it("carries the typed names when every adoption is confirmed (surrounding spaces ignored)", () => {
    expect(adoptionsFromForm(plan, form({ "confirmAdopt:admin-role": " admin-role ", "confirmAdopt:models": "models" }))).toEqual({
      ok: true,
      value: ["admin-role", "models"],
    });
  });

  it("a plan without adopt rows needs nothing", () => {
    expect(adoptionsFromForm({ steps: [{ changes: [row({})] }] } as never, form({}))).toEqual({ ok: true, value: [] });
  });
});
