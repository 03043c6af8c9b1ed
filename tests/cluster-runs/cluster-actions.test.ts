// The environment page's cluster actions, through the real action wrapper and job store: viewers are refused;
// a restart needs the confirmation tick, edit rights chosen in the settings, and a deployment the latest check
// flagged, then patches it in the cluster (the kubeconfig named in the settings points at the API double) and is
// audited; without the rights in the cluster it is refused with the kubectl command; no cluster access is said.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { routeDbPerTest } from "@/tests/support/route-db";
import { EDIT_RIGHTS, k8sDoublePerFile, VIEW_RIGHTS } from "@/tests/support/k8s-api-double";
import { VALID_SETTINGS } from "@/tests/support/settings";
import { healthyStudio, NS } from "../k8s/studio-fixture";

vi.mock("@/lib/db", () => import("@/tests/support/route-db").then((m) => m.dbModule));
const who = vi.hoisted(() => ({ role: "admin" }));
vi.mock("@/lib/auth/current", () => ({ getCurrentUser: async () => ({ id: "u1", username: "ada", role: who.role }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const t = routeDbPerTest();
const double = k8sDoublePerFile();
const api = double.api;

function kubeconfigFile(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kube-")), "config");
  fs.writeFileSync(
    file,
    stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "double", cluster: { server: api.url, "certificate-authority-data": api.tls.caData } }],
      users: [{ name: "console", user: { token: "test-token" } }],
      contexts: [{ name: "studio", context: { cluster: "double", user: "console" } }],
      "current-context": "studio",
    }),
  );
  return file;
}

async function environment(settings: Record<string, unknown>, name = "staging") {
  const env = await t.db.environment.create({ data: { name, settings: JSON.stringify({ ...VALID_SETTINGS, name, ...settings }) } });
  // The latest cluster check found studio-backend's pods older than the role change.
  const run = await t.db.run.create({ data: { environmentId: env.id, kind: "cluster-check", status: "failed", actor: "ada" } });
  await t.db.stepRun.create({
    data: {
      runId: run.id,
      key: "cluster-check",
      status: "failed",
      output: JSON.stringify({ clusterChecks: [{ id: "restart:studio-backend", title: "Pods of studio-backend", status: "failed", detail: "restart needed", restartDeployment: "studio-backend" }] }),
    },
  });
  return env;
}

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

beforeEach(() => {
  who.role = "admin";
  healthyStudio(api);
  api.requests.length = 0;
  api.rights = new Set(EDIT_RIGHTS);
});

describe("restart from the environment page", () => {
  it("asks for the confirmation, then restarts the flagged deployment and audits it", async () => {
    const { restartAction } = await import("@/app/(console)/environments/[id]/cluster-actions");
    const env = await environment({ clusterAccess: "kubeconfig", kubeconfigPath: kubeconfigFile(), clusterEditRights: true });
    expect(await restartAction(env.id, {}, form({ deployment: "studio-backend" }))).toMatchObject({ ok: false, errors: { confirm: [expect.stringMatching(/^must be ticked/)] } });
    expect(api.calls("PATCH")).toEqual([]);
    expect(await restartAction(env.id, {}, form({ deployment: "studio-keycloak", confirm: "on" }))).toMatchObject({
      ok: false,
      message: "deployment studio-keycloak is not one the latest cluster check found needing a restart",
    });
    expect(await restartAction(env.id, {}, form({ deployment: "studio-backend", confirm: "on" }))).toMatchObject({ ok: true });
    const patch = api.calls("PATCH", "/deployments/studio-backend")[0];
    expect(patch.body.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await t.db.auditEvent.findFirst({ where: { action: "cluster.restart" } })).toMatchObject({ actor: "ada", environmentId: env.id });
    expect(api.get("deployments", NS, "studio-backend").spec.template.metadata.annotations).toBeDefined();
  });

  it("refused: to a viewer, without edit rights in the settings, and without them in the cluster (with the command)", async () => {
    const { restartAction } = await import("@/app/(console)/environments/[id]/cluster-actions");
    const env = await environment({ clusterAccess: "kubeconfig", kubeconfigPath: kubeconfigFile(), clusterEditRights: true });
    who.role = "viewer";
    expect(await restartAction(env.id, {}, form({ deployment: "studio-backend", confirm: "on" }))).toEqual({
      ok: false,
      message: "Forbidden: restarting a deployment requires the admin role.",
    });
    who.role = "admin";
    api.rights = new Set(VIEW_RIGHTS);
    const refused = await restartAction(env.id, {}, form({ deployment: "studio-backend", confirm: "on" }));
    expect(refused.message).toMatch(/may not restart deployment studio-backend: it lacks patch deployments.apps.*kubectl rollout restart deployment\/studio-backend -n rasa/);
    expect(api.calls("PATCH")).toEqual([]);
    const noRights = await environment({ clusterAccess: "kubeconfig", kubeconfigPath: kubeconfigFile() }, "qa");
    expect((await restartAction(noRights.id, {}, form({ deployment: "studio-backend", confirm: "on" }))).message).toMatch(/^clusterEditRights is off/);
  });

  it("a cluster run without cluster access says what to choose", async () => {
    const { startClusterRunAction } = await import("@/app/(console)/environments/[id]/cluster-actions");
    const env = await environment({});
    expect(await startClusterRunAction(env.id, {}, form({ task: "cluster-check" }))).toEqual({
      ok: false,
      message: "clusterAccess is none: choose the EKS API or a kubeconfig on the wizard's storage page.",
    });
    expect((await startClusterRunAction(env.id, {}, form({ task: "format-disk" }))).message).toBe("task must be cluster-check, model-copy or model-upload");
  });
});
