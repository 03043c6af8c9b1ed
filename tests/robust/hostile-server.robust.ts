// Hostile input against the running console: the built server (the tests' fake AWS account preloaded, as in the
// browser tests) takes the hostile table (tests/support/hostile-values.ts) through its real HTTP surface, signed
// in as an admin: every wizard field through the wizard's server action, the run form's DB admin user through
// "Refresh plan", and hostile values.yaml (support/hostile-yaml.ts) pasted and uploaded to the merge route and
// its preview action. Each answer is a refusal naming the field or an acceptance, never a 500; a refused value
// reaches neither AWS (the double writes down every call it gets) nor the database (the environment's database
// address is a socket here that counts connections); and the health check, polled from its own process all
// along, answers every time within 1 s. Needs `npm run build` (npm run test:robust builds first).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasBuild, ROOT, startConsole, type ConsoleServer } from "@/bench/support/console-server";
import { seedStore, type SeededStore } from "@/bench/support/seed-store";
import { WIZARD_SCHEMAS } from "@/lib/config/environment";
import { FIELDS, HOSTILE } from "@/tests/support/hostile-values";
import { VALID_SETTINGS } from "@/tests/support/settings";
import { HOSTILE_YAML } from "./support/hostile-yaml";

/** Wizard fields beyond the stored names of the table: ARNs, paths, the CA bundle upload, lists and numbers. */
const MORE_FIELDS = ["dbCaBundle", "bucketKmsKeyArn", "permissionsBoundaryArn", "rolePath", "schemas", "dbPortOverride", "kubeconfigPath", "kubeContext", "modelFolder"];
/** Values aimed at those: ARNs of the wrong kind, partition or account shape, and PEM that is not a certificate. */
const MORE_VALUES: [string, string][] = [
  ["an ARN in an unknown partition", "arn:aws-evil:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
  ["an ARN with a wildcard account", "arn:aws:iam::*:policy/boundary"],
  ["an ARN with a newline", "arn:aws:iam::123456789012:policy/b\nx"],
  ["a PEM header around a script", "-----BEGIN CERTIFICATE-----\n<script>alert(1)</script>\n-----END CERTIFICATE-----"],
  ["a CA bundle over 1 MB", `-----BEGIN CERTIFICATE-----\n${"A".repeat(1_100_000)}\n-----END CERTIFICATE-----`],
];

let store: SeededStore;
let server: ConsoleServer;
let poller: ChildProcess;
let sqlTrap: net.Server;
let sqlConnections = 0;
const cases: string[] = [];
/** When each case was sent and answered (epoch ms), to name the cases a slow health answer overlapped. */
const timeline: { what: string; from: number; to: number }[] = [];

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, ".next/server/server-reference-manifest.json"), "utf8")) as {
  node: Record<string, { exportedName: string }>;
};
const actionId = (name: string) => Object.entries(manifest.node).find(([, a]) => a.exportedName === name)![0];
const callsFile = () => path.join(store.dir, "aws-calls.txt");
/** Calls that reached the fake AWS account so far. */
const awsCalls = () => (fs.existsSync(callsFile()) ? fs.readFileSync(callsFile(), "utf8").split("\n").filter(Boolean).length : 0);
const envId = () => store.environmentIds[0];
const envName = "bench-00";

beforeAll(async () => {
  if (!hasBuild()) throw new Error("no build of the console: run `npm run build` first (npm run test:robust does)");
  // The environment's database is this socket: any connection to it is counted.
  sqlTrap = net.createServer((s) => (sqlConnections++, s.destroy()));
  await new Promise<void>((r) => sqlTrap.listen(0, "127.0.0.1", r));
  const sqlPort = (sqlTrap.address() as net.AddressInfo).port;
  store = seedStore({ environments: 1, runs: 0, stepsPerRun: 0, logsPerRun: 0, auditEvents: 0, sessions: 1, settings: { dbHostOverride: "127.0.0.1", dbPortOverride: sqlPort } });
  const scenario = path.join(store.dir, "aws.json");
  fs.writeFileSync(scenario, "{}");
  server = await startConsole({
    dbFile: store.file,
    sessionSecret: store.sessionSecret,
    nodeFlags: ["--import", "tsx", "--import", pathToFileURL(path.join(ROOT, "tests/support/fake-aws/preload-main-thread.mjs")).href],
    env: { E2E_AWS_SCENARIO: scenario, FAKE_AWS_CALLS_FILE: callsFile(), AWS_ACCESS_KEY_ID: "robust-double", AWS_SECRET_ACCESS_KEY: "robust-double", AWS_REGION: "eu-west-1" },
    withoutEnv: ["AWS_ENDPOINT_URL", "AWS_PROFILE"],
  });
  // Every surface the suite posts to answers once first, with valid input: loading a route's or an action's code
  // the first time is start-up work (it held /api/health for up to 1.5 s on a loaded 2-core machine), not the
  // input's doing, and is not what the health bar is about.
  for (const page of Object.keys(WIZARD_SCHEMAS)) await saveField(Object.keys(validPage(page))[0], validPage(page)[Object.keys(validPage(page))[0]]);
  await callAction("previewMerge", `/environments/${envId()}/values`, [envId()], { existing: "" });
  await (await fetch(`${server.base}/environments/${envId()}/values.yaml`, { method: "POST", headers: { cookie: store.cookies[0], Origin: server.base }, body: new FormData() })).arrayBuffer();
  await callAction("refreshPlanAction", `/environments/${envId()}/plan`, [envId()], {});
  poller = spawn(process.execPath, [path.join(ROOT, "tests/robust/support/health-poller.mjs"), server.base], { stdio: ["ignore", "pipe", "inherit"] });
}, 240_000);

afterAll(async () => {
  poller?.kill("SIGKILL");
  await server?.stop();
  sqlTrap?.close();
  // The server's log outlives the store: an answer "see the server log (reference …)" can be looked up.
  if (store) {
    const kept = path.join(os.tmpdir(), `hostile-server-${process.pid}.log`);
    fs.copyFileSync(`${store.file}.server.log`, kept);
    console.log(`server log kept at ${kept}`);
  }
  store?.remove();
});

/** What a server action answered: its status, and the state it returned (null for a redirect or a page). */
async function callAction(name: string, page: string, bound: unknown[], fields: Record<string, string>) {
  const from = Date.now();
  const body = new FormData();
  // React's reply encoding: the FormData argument as "$K1", its fields prefixed "_1_", before the root "0".
  for (const [k, v] of Object.entries(fields)) body.set(`_1_${k}`, v);
  body.set("0", JSON.stringify([...bound, null, "$K1"]));
  const res = await fetch(`${server.base}${page}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Next-Action": actionId(name), Origin: server.base, cookie: store.cookies[0] },
    body,
  });
  const text = await res.text();
  // The returned state is the flight row that starts {"ok": (a long string before it is a length-prefixed text
  // row, not followed by a newline: the row is found by its start, not its line).
  const row = /[0-9a-f]+:(\{"ok":.*)$/m.exec(text)?.[1];
  timeline.push({ what: `${name} ${Object.entries(fields).map(([k, v]) => `${k}=${v.slice(0, 40)}`).join(" ").slice(0, 120)}`, from, to: Date.now() });
  return { status: res.status, redirect: res.headers.get("x-action-redirect"), state: row ? (JSON.parse(row) as { ok: boolean; errors?: Record<string, string[]> }) : null };
}

/** The error keys of a refusal all belong to `field` (a list field may name an item: `schemas.0`). */
const onlyOn = (errors: Record<string, string[]> | undefined, field: string) =>
  !!errors && Object.keys(errors).length > 0 && Object.keys(errors).every((k) => k === field || k.startsWith(`${field}.`)) && errors[Object.keys(errors)[0]].length > 0;

const pageOf = (field: string) => (Object.entries(WIZARD_SCHEMAS) as [string, { shape: object }][]).find(([, s]) => field in s.shape)![0];

/** The page's fields filled in validly (the environment's own name on the account page). */
function validPage(page: string): Record<string, string> {
  const shape = WIZARD_SCHEMAS[page as keyof typeof WIZARD_SCHEMAS].shape;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...VALID_SETTINGS, name: envName })) if (k in shape) out[k] = String(v);
  return out;
}

async function saveField(field: string, value: string) {
  const page = pageOf(field);
  return callAction("saveWizardStep", `/environments/${envId()}/wizard/${page}`, [envId(), page], { ...validPage(page), [field]: value });
}

describe("hostile input against the running console", () => {
  it("(control) each wizard page with valid values is saved: the refusals below are the hostile value's", async () => {
    for (const page of Object.keys(WIZARD_SCHEMAS)) {
      const r = await callAction("saveWizardStep", `/environments/${envId()}/wizard/${page}`, [envId(), page], validPage(page));
      expect([page, r.status, r.redirect]).toEqual([page, 200, expect.stringMatching(/\/wizard\//)]);
    }
  });

  it("every wizard field × every hostile value: refused on that field without an AWS call, or saved; never a 500", async () => {
    const outcomes = { refused: 0, saved: 0 };
    const problems: string[] = [];
    const values: [string, string][] = HOSTILE.map(([label, v]) => [label, typeof v === "string" ? v : JSON.stringify(v)]);
    const table = [...Object.keys(FIELDS).flatMap((f) => values.map((v) => [f, ...v])), ...MORE_FIELDS.flatMap((f) => [...values, ...MORE_VALUES].map((v) => [f, ...v]))];
    for (const [field, label, value] of table) {
      const before = awsCalls();
      const r = await saveField(field, value);
      const what = `${field} ← ${label}`;
      cases.push(what);
      // Saved: the action redirects to the next page (whose render may read AWS: the pickers). Refused: it answers
      // the form's state with the field's errors, and nothing reached AWS.
      if (r.status === 200 && r.redirect) outcomes.saved++;
      else if (r.status === 200 && onlyOn(r.state?.errors, field) && awsCalls() === before) outcomes.refused++;
      else problems.push(`${what}: HTTP ${r.status}, ${awsCalls() - before} AWS calls, ${JSON.stringify(r.state).slice(0, 300)}`);
    }
    console.log(`wizard: ${table.length} cases, ${outcomes.refused} refused on their field, ${outcomes.saved} saved`);
    expect(problems).toEqual([]);
  }, 600_000);

  it("the run form's DB admin user: a refused one reaches neither AWS nor the database", async () => {
    const outcomes = { refused: 0, accepted: 0 };
    for (const [label, raw] of HOSTILE) {
      const value = typeof raw === "string" ? raw : JSON.stringify(raw);
      const before = awsCalls();
      const r = await callAction("refreshPlanAction", `/environments/${envId()}/plan`, [envId()], { dbAdminUser: value });
      cases.push(`dbAdminUser ← ${label}`);
      expect([label, r.status]).toEqual([label, 200]);
      if (r.state && !r.state.ok && r.state.errors) {
        expect([label, onlyOn(r.state.errors, "dbAdminUser")]).toEqual([label, true]);
        expect([label, awsCalls() - before]).toEqual([label, 0]);
        outcomes.refused++;
      } else outcomes.accepted++;
    }
    console.log(`run form: ${HOSTILE.length} cases, ${outcomes.refused} refused on dbAdminUser, ${outcomes.accepted} accepted (a plan refresh, or its rate limit)`);
    // No password was ever given: nothing connects to the database, accepted or not.
    expect(sqlConnections).toBe(0);
  }, 300_000);

  it("hostile values.yaml pasted, uploaded, or previewed: merged, or refused on the field; never a 500; no AWS call", async () => {
    const before = awsCalls();
    const seen: Record<string, number> = {};
    const problems: string[] = [];
    const slow: string[] = [];
    const timed = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      const out = await f();
      const ms = performance.now() - t0;
      if (ms > 2000) slow.push(`${what} ${Math.round(ms)} ms`);
      return out;
    };
    for (const [label, content] of HOSTILE_YAML) {
      const text = typeof content === "string" ? content : new TextDecoder().decode(content);
      for (const way of ["paste", "file"] as const) {
        const what = `${label} (${way})`;
        const form = new FormData();
        if (way === "file") form.set("file", new File([typeof content === "string" ? content : new Uint8Array(content)], "values.yaml", { type: "application/yaml" }));
        else form.set("existing", text);
        const from = Date.now();
        const { status, type, answer } = await timed(what, async () => {
          const res = await fetch(`${server.base}/environments/${envId()}/values.yaml`, { method: "POST", headers: { cookie: store.cookies[0], Origin: server.base }, body: form });
          const type = res.headers.get("content-type") ?? "";
          return { status: res.status, type, answer: type.includes("json") ? ((await res.json()) as { field?: string; error?: string }) : (await res.arrayBuffer(), null) };
        });
        timeline.push({ what: `values.yaml route: ${what}`, from, to: Date.now() });
        cases.push(what);
        seen[status] = (seen[status] ?? 0) + 1;
        // Merged (a YAML download), or refused on the field: not YAML (400), needs the admin's decision (409), too large (413).
        const ok = status === 200 ? type.includes("yaml") : [400, 409, 413].includes(status) && answer?.field === "existing";
        if (!ok) problems.push(`${what}: HTTP ${status} ${JSON.stringify(answer).slice(0, 300)}`);
      }
      const what = `${label} (preview)`;
      const preview = await timed(what, () => callAction("previewMerge", `/environments/${envId()}/values`, [envId()], { existing: text }));
      cases.push(what);
      if (!(preview.status === 200 && (preview.state?.ok || onlyOn(preview.state?.errors, "existing"))))
        problems.push(`${what}: HTTP ${preview.status} ${JSON.stringify(preview.state).slice(0, 300)}`);
    }
    console.log(`values.yaml: ${HOSTILE_YAML.length * 3} cases; the route answered`, seen, "slower than 2 s:", slow);
    expect(problems).toEqual([]);
    expect(awsCalls() - before).toBe(0);
  }, 900_000);

  it(`covers at least 150 cases, and the health check answered every time within 1 s all along`, async () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    const out: string[] = [];
    poller.stdout!.on("data", (c: Buffer) => out.push(c.toString()));
    const exited = new Promise((r) => poller.once("exit", r));
    poller.kill("SIGTERM");
    await exited;
    const health = JSON.parse(out.join("")) as { count: number; maxMs: number; p50Ms: number; failures: string[]; slow: { at: number; ms: number }[] };
    console.log(`${cases.length} hostile cases; health polled ${health.count} times, slowest ${health.maxMs} ms, median ${health.p50Ms} ms`);
    for (const s of health.slow)
      console.log(`health took ${s.ms} ms during:`, timeline.filter((t) => t.from <= s.at + s.ms && t.to >= s.at).map((t) => t.what));
    expect(health.failures).toEqual([]);
    expect(health.count).toBeGreaterThan(10);
    // The issue's own bar: a server that froze on some input would have missed it.
    expect(health.maxMs).toBeLessThan(1000);
  });
});
