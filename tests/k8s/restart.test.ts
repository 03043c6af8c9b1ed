// Rollout restart through the real client against the API double: asked of the cluster first
// (SelfSubjectAccessReview), done with the same patch kubectl sends, refused without edit rights.
import { beforeEach, describe, expect, it } from "vitest";
import { namespaceRights, NoEditRightsError } from "@/lib/k8s/access-review";
import { restartDeployment } from "@/lib/k8s/restart";
import { EDIT_RIGHTS, k8sDoublePerFile, VIEW_RIGHTS } from "@/tests/support/k8s-api-double";
import { healthyStudio, NS } from "./studio-fixture";

const double = k8sDoublePerFile();
const api = double.api;
beforeEach(() => {
  healthyStudio(api);
  api.requests.length = 0;
});

describe("rollout restart", () => {
  it("with edit rights: stamps the pod template like kubectl rollout restart", async () => {
    api.rights = new Set(EDIT_RIGHTS);
    const { restartedAt } = await restartDeployment(double.conn, NS, "rasapro", { now: new Date("2026-05-02T08:00:00.123Z") });
    expect(restartedAt).toBe("2026-05-02T08:00:00Z");
    const review = api.calls("POST", "selfsubjectaccessreviews")[0].body.spec.resourceAttributes;
    expect(review).toEqual({ namespace: NS, verb: "patch", group: "apps", resource: "deployments", name: "rasapro" });
    const patch = api.calls("PATCH", "/deployments/rasapro")[0];
    expect(patch.contentType).toBe("application/strategic-merge-patch+json");
    expect(patch.body).toEqual({ spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "2026-05-02T08:00:00Z" } } } } });
    expect(api.get("deployments", NS, "rasapro").spec.template.metadata.annotations).toEqual({ "kubectl.kubernetes.io/restartedAt": "2026-05-02T08:00:00Z" });
    // The rest of the template is untouched.
    expect(api.get("deployments", NS, "rasapro").spec.template.spec.serviceAccountName).toBe("studio-model-service");
  });

  it("without edit rights: refused before any change, with the kubectl command to run instead", async () => {
    api.rights = new Set(VIEW_RIGHTS);
    const err = await restartDeployment(double.conn, NS, "studio-backend").catch((e) => e);
    expect(err).toBeInstanceOf(NoEditRightsError);
    expect(err.missing).toEqual(["patch deployments.apps studio-backend in namespace rasa"]);
    expect(err.commands).toEqual(["kubectl rollout restart deployment/studio-backend -n rasa"]);
    expect(api.calls("PATCH")).toEqual([]);
    expect(api.get("deployments", NS, "studio-backend").spec.template.metadata.annotations).toBeUndefined();
  });

  it("refuses names that are not Kubernetes names, naming the field", async () => {
    await expect(restartDeployment(double.conn, NS, "../nodes")).rejects.toThrow(/^deployment must be lower-case letters/);
    await expect(restartDeployment(double.conn, "Rasa", "rasapro")).rejects.toThrow(/^namespace must be lower-case letters/);
    expect(api.requests).toEqual([]);
  });

  it("namespace rights: the view policy allows neither restart nor the copy job; edit allows both", async () => {
    api.rights = new Set(VIEW_RIGHTS);
    expect(await namespaceRights(double.conn, NS)).toEqual({
      restart: false,
      copyJob: false,
      missing: ["patch deployments.apps in namespace rasa", "create jobs.batch in namespace rasa"],
    });
    api.rights = new Set(EDIT_RIGHTS);
    expect(await namespaceRights(double.conn, NS)).toEqual({ restart: true, copyJob: true, missing: [] });
  });
});
