// Environment state for lists, and which names count as production (extra confirmation before apply).
import { describe, expect, it } from "vitest";
import { looksLikeProduction, stateOf } from "@/lib/environments/state";
import { testSettings } from "@/tests/support/settings";

const complete = { settings: testSettings() };

describe("environment state", () => {
  it("is draft until the wizard is finished, then follows the newest apply run", () => {
    expect(stateOf({ settings: null }, null)).toBe("draft");
    expect(stateOf(complete, null)).toBe("planned");
    expect(stateOf(complete, { status: "running" })).toBe("applying");
    expect(stateOf(complete, { status: "queued" })).toBe("applying");
    expect(stateOf(complete, { status: "succeeded" })).toBe("done");
    expect(stateOf(complete, { status: "failed" })).toBe("failed");
    expect(stateOf(complete, { status: "interrupted" })).toBe("interrupted");
  });

  it("after a teardown: tearing down while it runs, torn down once it succeeded", () => {
    expect(stateOf(complete, { kind: "teardown", status: "running" })).toBe("tearing down");
    expect(stateOf(complete, { kind: "teardown", status: "succeeded" })).toBe("torn down");
    expect(stateOf(complete, { kind: "teardown", status: "failed" })).toBe("failed");
    expect(stateOf(complete, { kind: "apply", status: "succeeded" })).toBe("done");
  });

  it("asks for the name before applying to production-like environments", () => {
    for (const name of ["production", "prod", "prod-eu", "eu-prod", "live", "prd"]) expect(looksLikeProduction(name), name).toBe(true);
    for (const name of ["staging", "dev", "product-demo", "preprod-test"]) expect(looksLikeProduction(name), name).toBe(false);
  });
});
