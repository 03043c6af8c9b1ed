// The README stays true: its operator policy is the one the step catalogue derives, and it names the commands
// package.json really has.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { operatorPolicy } from "@/lib/steps/operator-policy";
import { toPolicyJson } from "@/lib/policies/policy-json";

const readme = fs.readFileSync("README.md", "utf8");

describe("README", () => {
  it("shows the operator policy the steps derive", () => {
    const block = readme.match(/<!-- operator-policy:start -->\s*```json\n([\s\S]*?)```\s*<!-- operator-policy:end -->/);
    expect(block, "README has the operator policy block").not.toBeNull();
    expect(block![1].trim()).toBe(toPolicyJson(operatorPolicy()).trim());
  });

  it("gives the two commands, and they exist", () => {
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
    expect(readme).toContain("npm install && npm start");
    expect(readme).toContain("npm test");
    expect(pkg.scripts.start).toBeTruthy();
    expect(pkg.scripts.test).toBeTruthy();
  });
});
