// Two-space trailing comments (yamllint's default) and the admin's other spacing survive a merge byte for byte
// on every line the console did not change: the diff shows only the console's edits, no whitespace-only lines.
import { describe, expect, it } from "vitest";
import { TEST_ROLE_ARNS, testSettings } from "@/tests/support/settings";
import { mergeValues } from "./index";

const EXISTING = `config:
  ingressHost: studio.example.com  # public name
  database:
    host: "studio-db.abc.eu-west-1.rds.amazonaws.com"  # the writer endpoint
    port: "5432"    # aligned comment
    useAwsIamAuth: ""  # set by the console
    awsRegion: ""

backend:
  replicaCount: 2  # two for rolling upgrades
  serviceAccount:
    create: false  # the chart's default
    annotations: {}
    name: ""

networkPolicy:
  enabled: false   # three spaces on purpose
`;

describe("merge keeps the admin's formatting", () => {
  it("unchanged lines, trailing comments with two or more spaces included, are kept byte for byte", () => {
    const { yaml, diff } = mergeValues(EXISTING, testSettings(), TEST_ROLE_ARNS);
    const kept = EXISTING.split("\n").filter((l) => l.includes("  #"));
    const out = yaml.split("\n");
    for (const line of kept.filter((l) => !/useAwsIamAuth|create: false/.test(l))) expect(out).toContain(line);
    // A line the console changed keeps the spacing before its unchanged comment.
    expect(out).toContain('    useAwsIamAuth: "true"  # set by the console');
    expect(out).toContain("    create: true  # the chart's default");
    // Every removed line in the diff is a line the console really changed (a value), never spacing alone.
    const removed = diff!.filter((d) => d.kind === "removed").map((d) => d.text);
    const added = diff!.filter((d) => d.kind === "added").map((d) => d.text);
    for (const r of removed) expect(added.map((a) => a.replace(/\s+/g, " "))).not.toContain(r.replace(/\s+/g, " "));
  });
});
