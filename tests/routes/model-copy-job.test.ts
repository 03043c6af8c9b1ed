// GET /environments/[id]/model-copy-job.yaml: the copy Job the plan shows, for signed-in users only; a 409 naming
// the settings when the environment does not copy with a Job.
import { parse } from "yaml";
import { describe, expect, it, vi } from "vitest";
import { VALID_SETTINGS } from "@/tests/support/settings";
import { routeDbPerTest } from "@/tests/support/route-db";

vi.mock("@/lib/db", () => import("@/tests/support/route-db").then((m) => m.dbModule));
const session = vi.hoisted(() => ({ user: { id: "u1", username: "ada", role: "viewer" } as object | null }));
vi.mock("@/lib/auth/current", () => ({
  userOr401: async () => session.user ?? Response.json({ error: "sign in required" }, { status: 401 }),
}));

const t = routeDbPerTest();
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const env = (settings: Record<string, unknown>) => t.db.environment.create({ data: { name: "staging", settings: JSON.stringify({ ...VALID_SETTINGS, ...settings }) } });

describe("model copy Job download", () => {
  it("answers the Job as a YAML attachment", async () => {
    session.user = { id: "u1", username: "ada", role: "viewer" };
    const e = await env({ storageSituation: "copy-from-pv" });
    const { GET } = await import("@/app/environments/[id]/model-copy-job.yaml/route");
    const res = await GET(new Request("http://console.test/x"), params(e.id));
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="staging-model-copy-job.yaml"');
    expect(parse(await res.text())).toMatchObject({ kind: "Job", spec: { template: { spec: { serviceAccountName: "studio-model-service" } } } });
  });

  it("409 when the models are already on S3; 401 without a session", async () => {
    session.user = { id: "u1", username: "ada", role: "viewer" };
    const e = await env({ storageSituation: "already-s3" });
    const { GET } = await import("@/app/environments/[id]/model-copy-job.yaml/route");
    const res = await GET(new Request("http://console.test/x"), params(e.id));
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toMatch(/^storageSituation is not copy-from-pv/);
    session.user = null;
    expect((await GET(new Request("http://console.test/x"), params(e.id))).status).toBe(401);
  });
});
