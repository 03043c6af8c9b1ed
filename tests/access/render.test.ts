// The access map and table as the server renders them: edges coloured, patterned and named in words, each
// linking to a table row that exists; the legend; rows with their verdicts.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AccessMap } from "@/components/access/access-map";
import { AccessMatrixTable } from "@/components/access/access-matrix";
import { EDGE_STYLE } from "@/components/access/edge-style";
import { evaluateAccessMatrix, type AccessMatrix } from "@/lib/access";
import { consoleEnvironment } from "./fixtures";

const ADMIN = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** Namespace, cluster-wide trust on one side, AdministratorAccess on the S3 role: every edge state but missing. */
async function mixedMatrix(): Promise<AccessMatrix> {
  const env = consoleEnvironment({ scope: "namespace" });
  return evaluateAccessMatrix({
    ...env,
    roles: { ...env.roles, s3: { ...env.roles.s3, attachedPolicies: [{ name: "AdministratorAccess", arn: "arn:aws:iam::aws:policy/AdministratorAccess", document: ADMIN }] } },
  });
}

function render(matrix: AccessMatrix) {
  const html = renderToStaticMarkup(createElement("div", null, createElement(AccessMap, { matrix }), createElement(AccessMatrixTable, { matrix })));
  return new DOMParserLite(html);
}

/** Just enough HTML reading for assertions, without a DOM library: elements by test id with their attributes. */
class DOMParserLite {
  constructor(readonly html: string) {}
  all(testId: string): { attrs: Record<string, string>; inner: string }[] {
    const out: { attrs: Record<string, string>; inner: string }[] = [];
    const re = new RegExp(`<(\\w+)([^>]*data-testid="${testId}"[^>]*)>`, "g");
    for (const m of this.html.matchAll(re)) {
      const attrs = Object.fromEntries([...m[2].matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
      const start = m.index! + m[0].length;
      const close = this.html.indexOf(`</${m[1]}>`, start);
      out.push({ attrs, inner: this.html.slice(start, close) });
    }
    return out;
  }
}

describe("access map and matrix, rendered on the server", () => {
  it("draws every edge in its state's colour and pattern, names it in words, and links it to a row that exists", async () => {
    const matrix = await mixedMatrix();
    const page = render(matrix);
    const edges = page.all("access-edge");
    expect(edges).toHaveLength(matrix.edges.length);
    expect(new Set(edges.map((e) => e.attrs["data-state"]))).toEqual(new Set(["allowed", "warning", "unintended", "denied"]));
    const rowIds = new Set(page.all("access-row").map((r) => r.attrs.id));
    for (const e of edges) {
      const state = e.attrs["data-state"] as keyof typeof EDGE_STYLE;
      expect(rowIds.has(e.attrs.href.slice(1))).toBe(true);
      expect(e.attrs.href).toMatch(/^#access-row-[a-z0-9-]+$/);
      expect(e.inner).toContain(`stroke="${EDGE_STYLE[state].colour}"`);
      expect(e.inner).toMatch(/<title>[^<]+ → [^<]+: [^<]+<\/title>/);
      expect(e.attrs["aria-label"]).toBe(e.inner.match(/<title>([^<]+)<\/title>/)![1].replace(/&gt;/g, ">"));
    }
    // The red edge: the S3 role reaching "anything else" through AdministratorAccess, linked to a failing row.
    const red = edges.find((e) => e.attrs["data-state"] === "unintended" && e.attrs["aria-label"].startsWith("studio-staging-s3-role → anything else"))!;
    expect(red.attrs["aria-label"]).toMatch(/allowed but not intended \(4 questions, 4 allowed\)/);
    expect(red.inner).toContain('stroke="#b91c1c"');
    const target = page.all("access-row").find((r) => `#${r.attrs.id}` === red.attrs.href)!;
    expect(target.attrs["data-verdict"]).toBe("fail");
    expect(target.inner).toContain("managed policy AdministratorAccess");
    // The amber edge: the namespace's default service account reaching the RDS role under the namespace scope.
    const amber = edges.find((e) => e.attrs["aria-label"].startsWith("default → studio-staging-rds-role"))!;
    expect(amber.attrs["data-state"]).toBe("warning");
    expect(amber.inner).toContain('stroke="#b45309"');
    // Grey and dashed: another cluster's token, denied as intended.
    const grey = edges.find((e) => e.attrs["aria-label"].startsWith("another cluster → studio-staging-rds-role"))!;
    expect(grey.attrs["data-state"]).toBe("denied");
    expect(grey.inner).toContain('stroke="#6b7280"');
    expect(grey.inner).toContain('stroke-dasharray="6 5"');
    // Green: the backend's service account to its role.
    const green = edges.find((e) => e.attrs["aria-label"].startsWith("studio-backend → studio-staging-rds-role"))!;
    expect(green.attrs["data-state"]).toBe("allowed");
    expect(green.inner).toContain('stroke="#15803d"');
  });

  it("has a node per box, labelled, and a legend that says every state in words", async () => {
    const matrix = await mixedMatrix();
    const page = render(matrix);
    const nodes = page.all("access-node");
    expect(nodes.map((n) => n.attrs["data-node"])).toEqual(matrix.nodes.map((n) => n.id));
    expect(nodes.find((n) => n.attrs["data-node"] === "database-db-abcdefghijklmnopqrstuvwxy0-studio-iam-user")?.inner).toContain(">studio_iam_user</text>");
    const legend = page.all("access-legend-item").map((l) => l.inner.replace(/<svg.*<\/svg>/, "").replace(/<[^>]+>/g, ""));
    expect(legend).toEqual([
      "allowed and intended (green, solid)",
      "allowed, with a warning (amber, dash-dot)",
      "allowed but not intended (red, thick)",
      "denied as intended (grey, dashed)",
      "denied but intended (grey, dotted)",
    ]);
    expect(page.html).toContain('role="group" aria-label="Access map: service accounts, roles and what they reach"');
  });

  it("the table: a row per question under its group, the verdict in words, the findings, the summary", async () => {
    const matrix = await mixedMatrix();
    const page = render(matrix);
    const rows = page.all("access-row");
    expect(rows.map((r) => r.attrs.id)).toEqual(
      ["assume", "database", "storage", "key", "unexpected"].flatMap((g) => matrix.rows.filter((r) => r.group === g).map((r) => `access-row-${r.id}`)),
    );
    const backend = rows.find((r) => r.attrs.id === "access-row-assume-rds-studio-backend")!;
    expect(backend.attrs["data-verdict"]).toBe("pass");
    expect(backend.inner).toContain("as intended");
    expect(backend.inner).toContain("statement 1 &quot;AllowStudioServiceAccountsWebIdentity&quot; of the trust policy of studio-staging-rds-role");
    const warned = rows.find((r) => r.attrs.id === "access-row-assume-rds-other-service-account")!;
    expect(warned.inner).toContain("any service account in namespace rasa can assume the role");
    expect(page.html).toContain('<th scope="rowgroup" colSpan="6"');
    expect(page.all("access-finding").map((f) => f.attrs["data-severity"])).toEqual(["warn", "fail"]);
    expect(page.all("access-summary")[0].inner).toBe(
      `${matrix.rows.length} questions: ${matrix.counts.pass} as intended, ${matrix.counts.warn} with a warning, ${matrix.counts.fail} not as intended. Identity: IAM roles for service accounts (IRSA). Evaluated offline from the policies read from AWS by @cloud-copilot/iam-simulate 0.1.173.`,
    );
    expect(page.html).toContain("Access matrix: not as intended");
  });

  it("an intended access that is denied is drawn grey and dotted, not green", async () => {
    const env = consoleEnvironment();
    const matrix = await evaluateAccessMatrix({ ...env, roles: { ...env.roles, rds: { ...env.roles.rds, inlinePolicies: [] } } });
    const edge = render(matrix).all("access-edge").find((e) => e.attrs["aria-label"].startsWith("studio-staging-rds-role → studio_iam_user"))!;
    expect(edge.attrs["data-state"]).toBe("missing");
    expect(edge.inner).toContain('stroke-dasharray="2 4"');
    expect(edge.attrs.href).toBe("#access-row-connect-iam-user");
  });
});
