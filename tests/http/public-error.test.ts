// Errors that reach a browser carry the console's message; library internals stay in the server log.
import { afterEach, describe, expect, it, vi } from "vitest";
import { adminAction, userAction } from "@/lib/auth/action";
import { JobRequestError } from "@/lib/jobs/errors";
import { IdentifierError } from "@/lib/postgres/identifiers";
import { renderDownload } from "@/lib/environments/downloads";

vi.mock("@/lib/auth/current", () => ({
  getCurrentUser: async () => ({ id: "u1", username: "ada", role: "admin" }),
}));
vi.mock("@/lib/db", () => ({ db: {} }));

// What a failing Prisma query says: SQL, the file, the engine's prose.
const internal = Object.assign(
  new Error("Invalid `prisma.run.findUnique()` invocation in /srv/console/.next/server/chunks/ssr/123.js:9:27\n\nSQLITE_BUSY: database is locked"),
  { name: "PrismaClientUnknownRequestError", code: "P2010" },
);

afterEach(() => vi.restoreAllMocks());

describe("errors returned to browsers", () => {
  it("an unexpected failure becomes a plain sentence with a log reference; the details go to the log", async () => {
    const logged: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      logged.push(String(chunk));
      return true;
    });
    const act = userAction("reading a run", async () => {
      throw internal;
    });
    const state = await act();
    expect(state.ok).toBe(false);
    expect(state.message).toMatch(/^Something went wrong while reading a run \(reference [0-9a-f]{8}\); the details are in the server log\.$/);
    for (const leak of ["prisma", "SQLITE", "/srv/console", ".js:"]) expect(state.message).not.toContain(leak);
    const reference = state.message!.match(/reference ([0-9a-f]{8})/)![1];
    const line = logged.map((l) => JSON.parse(l)).find((l) => l.reference === reference);
    expect(line).toMatchObject({ level: "error", msg: "reading a run failed", error: expect.stringContaining("SQLITE_BUSY") });
  });

  it("the console's own refusals keep their message", async () => {
    const act = adminAction("retrying a step", async () => {
      throw new JobRequestError("Step db-grants is running: only a failed, interrupted or cancelled step can be retried");
    });
    expect(await act()).toEqual({ ok: false, message: "Step db-grants is running: only a failed, interrupted or cancelled step can be retried" });
  });

  it("a download whose renderer refuses a setting is a 409 with the rule; a crash is a 500 without internals", async () => {
    const refused = renderDownload("grants.sql", () => {
      throw new IdentifierError("iamDbUser", "must not be a reserved role name");
    });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({ error: "iamDbUser must not be a reserved role name" });
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const crashed = renderDownload("grants.sql", () => {
      throw new TypeError("Cannot read properties of undefined (reading 'rds')");
    });
    expect(crashed.status).toBe(500);
    const body = (await crashed.json()) as { error: string };
    expect(body.error).toMatch(/^Something went wrong while rendering grants.sql \(reference [0-9a-f]{8}\)/);
    expect(body.error).not.toContain("Cannot read");
  });
});
