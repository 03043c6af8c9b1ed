// Access control, from the build: the pages and route handlers are listed from .next/server/app-paths-manifest.json
// and the server actions from server-reference-manifest.json, so a new one cannot be missed. Against the built
// console on a seeded job store: signed out, every page redirects to the sign-in page and every route handler
// answers 401; every server action called signed out, and every admin action called as a viewer, changes
// nothing in the job store. Needs `npm run build` (npm run test:robust builds first).
import Database from "better-sqlite3";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seal } from "@/lib/auth/seal";
import { hasBuild, ROOT, startConsole, type ConsoleServer } from "@/bench/support/console-server";
import { seedStore, type SeededStore } from "@/bench/support/seed-store";

const manifest = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, ".next/server", name), "utf8"));
/** Open to everyone: the sign-in and first-admin pages, the health check, Next's own error pages. */
const PUBLIC = new Set(["/sign-in", "/setup", "/api/health", "/_not-found", "/_global-error"]);
/** Actions a viewer (or anyone, for sign-in and setup) may call: on their own session and password only. */
const ANY_USER_ACTIONS = new Set(["signIn", "signOut", "changePassword", "createFirstAdmin"]);

let store: SeededStore;
let server: ConsoleServer;
let viewerCookie = "";

/** Every row of every table but the sessions (sign-in and out may touch those), as one digest. */
function storeDigest(): string {
  const db = new Database(store.file, { readonly: true });
  try {
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('Session', '_prisma_migrations', 'sqlite_sequence') ORDER BY name`).all() as {
      name: string;
    }[]).map((t) => t.name);
    const hash = createHash("sha256");
    // A refused call is recorded in the audit log on purpose (`action.refused`); everything else must stay as it was.
    const rows = (t: string) => (t === "AuditEvent" ? `SELECT * FROM "${t}" WHERE action <> 'action.refused' ORDER BY rowid` : `SELECT * FROM "${t}" ORDER BY rowid`);
    for (const t of tables) hash.update(`${t}:${JSON.stringify(db.prepare(rows(t)).all())}`);
    return hash.digest("hex");
  } finally {
    db.close();
  }
}

/** How many refusals the audit log holds. */
function refusalsAudited(): number {
  const db = new Database(store.file, { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM "AuditEvent" WHERE action = 'action.refused'`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function urlOf(route: string): string {
  return route
    .replace(/\/\([^)]+\)/g, "")
    .replace(/\/(page|route)$/, "")
    .replace(/^\/environments\/\[id\]/, `/environments/${store.environmentIds[0]}`)
    .replace(/^\/runs\/\[id\]/, `/runs/${store.runIds[0]}`)
    .replace("[step]", "account") || "/";
}

const routes = () => Object.keys(manifest("app-paths-manifest.json")) as string[];
const actions = () =>
  Object.entries(manifest("server-reference-manifest.json").node as Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>).map(
    ([id, a]) => ({ id, name: a.exportedName, file: a.filename, page: urlOf(`/${Object.keys(a.workers)[0].replace(/^app\//, "")}`) }),
  );

beforeAll(async () => {
  if (!hasBuild()) throw new Error("no build of the console: run `npm run build` first (npm run test:robust does)");
  store = seedStore({ environments: 1, runs: 1, stepsPerRun: 2, logsPerRun: 5, auditEvents: 5, sessions: 1 }, (db) => {
    db.prepare(
      `INSERT INTO "User" ("id", "username", "usernameKey", "passwordHash", "role", "mustChangePassword", "createdAt", "updatedAt") VALUES ('viewer', 'viewer', 'viewer', 'scrypt$unusable', 'viewer', 0, datetime('now'), datetime('now'))`,
    ).run();
  });
  // The viewer's session, sealed with the server's secret like a real sign-in's.
  const token = randomBytes(32).toString("base64url");
  const exp = Date.now() + 3600_000;
  const db = new Database(store.file);
  db.prepare(`INSERT INTO "Session" ("id", "tokenHash", "userId", "expiresAt", "createdAt") VALUES ('viewer-session', ?, 'viewer', ?, ?)`).run(
    createHash("sha256").update(token).digest("hex"),
    new Date(exp).toISOString().replace("Z", "+00:00"),
    new Date().toISOString().replace("Z", "+00:00"),
  );
  db.close();
  viewerCookie = `studio_session=${seal({ token, exp }, store.sessionSecret)}`;
  server = await startConsole({ dbFile: store.file, sessionSecret: store.sessionSecret, env: { CONSOLE_TRUSTED_PROXIES: "" } });
}, 240_000);

afterAll(async () => {
  await server?.stop();
  store?.remove();
});

describe("access control read from the build", () => {
  it("lists every page, route handler and server action", () => {
    expect(routes().filter((r) => r.endsWith("/page")).length).toBeGreaterThanOrEqual(15);
    expect(routes().filter((r) => r.endsWith("/route")).length).toBeGreaterThanOrEqual(7);
    expect(actions().length).toBeGreaterThanOrEqual(15);
  });

  it("signed out: every page sends to the sign-in page, every route handler answers 401", async () => {
    const seen: string[] = [];
    for (const route of routes()) {
      const url = urlOf(route);
      if (PUBLIC.has(url)) continue;
      const res = await fetch(`${server.base}${url}`, { redirect: "manual" });
      await res.arrayBuffer();
      if (route.endsWith("/route")) expect([route, res.status]).toEqual([route, 401]);
      else {
        expect([route, res.status]).toEqual([route, 307]);
        expect(res.headers.get("location")).toMatch(/\/sign-in(\?|$)/);
      }
      seen.push(url);
    }
    expect(seen.length).toBeGreaterThanOrEqual(18);
  });

  /** What React's reply encoding puts before the fields of the FormData argument "$K1" (Next 16's decoder). */
  const FIELD_PREFIX = process.env.ROBUST_FIELD_PREFIX ?? "_1_";

  /**
   * Calls an action as the browser does (React's reply encoding: the arguments as JSON in field 0, a FormData
   * argument as "$K1" with its fields prefixed FIELD_PREFIX): the bound id when the action's page has one, an
   * empty form state, then a form with plausible fields.
   */
  const call = async (action: { id: string; page: string }, cookie?: string, fields: Record<string, string> = {}) => {
    const bound = action.page.startsWith("/runs/") ? [store.runIds[0]] : action.page.startsWith("/environments/") ? [store.environmentIds[0]] : [];
    const body = new FormData();
    for (const [k, v] of Object.entries({ name: "robust-env", username: "robust-user", role: "admin", key: "identity", ...fields })) body.set(`${FIELD_PREFIX}${k}`, v);
    // The root last: the server resolves the FormData argument from the fields that came before it.
    body.set("0", JSON.stringify([...bound, null, "$K1"]));
    const res = await fetch(`${server.base}${action.page}`, {
      method: "POST",
      redirect: "manual",
      headers: { "Next-Action": action.id, Origin: server.base, ...(cookie ? { cookie } : {}) },
      body,
    });
    return { status: res.status, text: await res.text() };
  };

  // The control: the same call as an admin gets past the role check into the action's own validation, with the
  // form's fields as sent (a bad name is refused by its rule, a good one creates the environment), so a refusal
  // below is the role check's, not a malformed call's.
  it("(control) the same call reaches an action's body as an admin, and is refused before it as a viewer", async () => {
    const create = actions().find((a) => a.name === "createEnvironment")!;
    const rule = "must be 1-32 lower-case letters, digits or hyphens";
    expect((await call(create, store.cookies[0], { name: "Not A Name!" })).text).toContain(rule);
    const before = storeDigest();
    const created = await call(create, store.cookies[0], { name: "robust-control" });
    expect(created.text).not.toContain(rule);
    expect(storeDigest()).not.toEqual(before);
    const asViewer = await call(create, viewerCookie, { name: "Not A Name!" });
    expect(asViewer.text).not.toContain(rule);
    expect((await call(create)).text).toContain("Your session has ended: sign in again.");
  });

  it("signed out: no server action changes anything", async () => {
    const before = storeDigest();
    for (const action of actions()) {
      if (action.name === "signIn" || action.name === "createFirstAdmin") continue;
      await call(action);
      expect([action.name, storeDigest()]).toEqual([action.name, before]);
    }
  });

  it("as a viewer: no admin action changes anything", async () => {
    const before = storeDigest();
    const admin = actions().filter((a) => !ANY_USER_ACTIONS.has(a.name));
    expect(admin.length).toBeGreaterThanOrEqual(14);
    for (const action of admin) {
      const refusals = refusalsAudited();
      await call(action, viewerCookie);
      expect([action.name, storeDigest()]).toEqual([action.name, before]);
      // At most the refusal itself is recorded (an action viewers may use, like the merge preview, records none).
      expect(refusalsAudited() - refusals, action.name).toBeLessThanOrEqual(1);
    }
  });
});
