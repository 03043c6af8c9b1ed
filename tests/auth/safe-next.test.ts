import { describe, expect, it } from "vitest";
import { safeNext } from "@/lib/auth/safe-next";

describe("where sign-in goes next", () => {
  it("keeps paths on this console", () => {
    expect(safeNext("/audit")).toBe("/audit");
    expect(safeNext("/runs/abc?x=1#log")).toBe("/runs/abc?x=1#log");
    // Dot segments that stay on the console resolve to the path they name.
    expect(safeNext("/environments/../audit")).toBe("/audit");
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

  // Found by probing: the check ran before dot segments were resolved, so these became `//evil.example/...`
  // (a host, for the browser) after the check had passed.
  it("checks the final value, after dot segments are resolved", () => {
    for (const next of [
      "/.//evil.example/x",
      decodeURIComponent("%2F.%2F%2Fevil.example%2Fx"),
      "/x/..//evil.example",
      "/x/../..//evil.example",
      "/%2e//evil.example",
      "/%2E//evil.example",
      "/%2e%2e//evil.example",
      "/x/%2e%2e//evil.example",
      "/./%2e/.//evil.example",
      "/.///evil.example",
      "/x/..///evil.example",
      "/./\\evil.example",
      "/x/..%2f%2fevil.example".replace(/%2f/g, "/"),
    ]) {
      const out = safeNext(next);
      expect(out, JSON.stringify(next)).toBe("/environments");
      // Whatever comes back is a path on this origin for a browser too.
      expect(new URL(out, "http://console.invalid").origin).toBe("http://console.invalid");
    }
  });

  it("returns only values that are already final (checking them again changes nothing)", () => {
    for (const next of ["/audit", "/a/./b/../c?x=1", "/%2e/audit", "/runs/%2F%2Fx"]) {
      const out = safeNext(next);
      expect(safeNext(out), next).toBe(out);
      expect(out.startsWith("//")).toBe(false);
    }
  });
});
