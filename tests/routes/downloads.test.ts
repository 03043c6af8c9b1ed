// The download route handlers answer a clear 4xx with the console's message when an environment's settings
// cannot produce the file (here: settings saved before the wizard refused reserved role names), never a 500.
import { describe, expect, it, vi } from "vitest";
import { VALID_SETTINGS } from "@/tests/support/settings";
import { routeDbPerTest } from "@/tests/support/route-db";

vi.mock("@/lib/db", () => import("@/tests/support/route-db").then((m) => m.dbModule));
vi.mock("@/lib/auth/current", () => ({
  userOr401: async () => ({ id: "u1", username: "ada", role: "viewer" }),
}));

const t = routeDbPerTest();

/** Settings refused before any plan is read: the downloads answer from the settings alone. */
async function environmentWith(settings: Record<string, unknown>) {
  return t.db.environment.create({ data: { name: "staging", settings: JSON.stringify(settings) } });
}

const params = (id: string) => ({ params: Promise.resolve({ id }) });

describe("downloads never answer 500 for bad settings", () => {
  for (const [file, load] of [
    ["grants.sql", () => import("@/app/environments/[id]/grants.sql/route")],
    ["aws-cli.sh", () => import("@/app/environments/[id]/plan/aws-cli.sh/route")],
    ["values.yaml", () => import("@/app/environments/[id]/values.yaml/route")],
  ] as const) {
    it(`${file}: an IAM DB user that is a reserved role is a 409 naming the field`, async () => {
      const env = await environmentWith({ ...VALID_SETTINGS, iamDbUser: "rds_iam" });
      const { GET } = (await load()) as { GET: (req: Request, ctx: ReturnType<typeof params>) => Promise<Response> };
      const res = await GET(new Request(`http://console.test/environments/${env.id}/${file}`), params(env.id));
      expect(res.status).toBe(409);
      const body = (await res.json()) as { error: string };
      expect(body.error).toMatch(/iamDbUser must not be a reserved or administrative role/);
      expect(body.error).toMatch(/fix .*in the wizard/i);
    });
  }

  it("an environment whose wizard is not finished still says so", async () => {
    const env = await t.db.environment.create({ data: { name: "draft-env" } });
    const { GET } = await import("@/app/environments/[id]/grants.sql/route");
    const res = await GET(new Request("http://console.test/x"), params(env.id));
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: "the wizard is not finished" });
  });
});
