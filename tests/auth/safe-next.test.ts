import { describe, expect, it } from "vitest";
import { safeNext } from "@/lib/auth/safe-next";

describe("where sign-in goes next", () => {
  it("keeps paths on this console", () => {
    expect(safeNext("/audit")).toBe("/audit");
    expect(safeNext("/runs/abc?x=1#log")).toBe("/runs/abc?x=1#log");
  });

  it("refuses anything that leaves it", () => {
    for (const next of [
      undefined,
      "",
      "https://evil.example",
      "//evil.example",
      "/\\evil.example",
      "/\\\\evil.example",
      "/%5Cevil.example".replace("%5C", "\\"),
      "/\tevil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "javascript:alert(1)",
      "audit",
    ])
      expect(safeNext(next), JSON.stringify(next)).toBe("/environments");
  });
});
