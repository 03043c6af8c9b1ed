// Finding the models' claim in the model service deployment, as the Rasa Pro subchart renders it (claim
// rasa-pro-data-pvc-<namespace> mounted at /app/working-data), and the keys the model service reads in S3.
import { describe, expect, it } from "vitest";
import type { V1Deployment } from "@kubernetes/client-node";
import { chartModelClaimName, findModelVolume, modelObjectKey } from "@/lib/k8s/model-volume";

function rasapro(opts: { env?: { name: string; value: string }[]; mounts?: object[]; volumes?: object[] } = {}): V1Deployment {
  return {
    metadata: { name: "rasapro" },
    spec: {
      selector: { matchLabels: { "app.kubernetes.io/name": "rasa", "app.kubernetes.io/instance": "studio" } },
      template: {
        spec: {
          serviceAccountName: "studio-model-service",
          tolerations: [{ key: "dedicated", operator: "Equal", value: "rasa", effect: "NoSchedule" }],
          containers: [
            {
              name: "rasa",
              image: "rasa-pro",
              env: opts.env ?? [],
              volumeMounts: (opts.mounts ?? [{ name: "model-data", mountPath: "/app/working-data" }]) as never,
            },
          ],
          volumes: (opts.volumes ?? [{ name: "model-data", persistentVolumeClaim: { claimName: chartModelClaimName("rasa") } }]) as never,
        },
      },
    },
  };
}

describe("model volume", () => {
  it("the chart's layout: the claim at /app/working-data, models in its models/ folder", () => {
    expect(findModelVolume(rasapro())).toEqual({
      ok: true,
      volume: {
        claimName: "rasa-pro-data-pvc-rasa",
        modelsPathInClaim: "models",
        podLabels: { "app.kubernetes.io/name": "rasa", "app.kubernetes.io/instance": "studio" },
        nodeSelector: undefined,
        tolerations: [{ key: "dedicated", operator: "Equal", value: "rasa", effect: "NoSchedule" }],
        serviceAccountName: "studio-model-service",
        remoteStoragePath: undefined,
      },
    });
  });

  it("follows RASA_MODEL_SERVER_BASE_DIRECTORY and a subPath mount", () => {
    const d = rasapro({
      env: [{ name: "RASA_MODEL_SERVER_BASE_DIRECTORY", value: "/data/wd" }],
      mounts: [
        { name: "model-data", mountPath: "/data", subPath: "studio" },
        { name: "cfg", mountPath: "/app/endpoints.yml" },
      ],
    });
    expect(findModelVolume(d)).toMatchObject({ ok: true, volume: { claimName: "rasa-pro-data-pvc-rasa", modelsPathInClaim: "studio/wd/models" } });
  });

  it("says why when the models are not on a claim", () => {
    expect(findModelVolume(rasapro({ mounts: [] }))).toEqual({ ok: false, why: "rasapro mounts nothing at /app/working-data: its models are not on a persistent volume" });
    expect(findModelVolume(rasapro({ volumes: [{ name: "model-data", emptyDir: {} }] }))).toEqual({
      ok: false,
      why: "rasapro keeps /app/working-data on volume model-data, which is not a persistent volume claim",
    });
  });

  it("object keys: the file name at the bucket root, under REMOTE_STORAGE_PATH when the model service sets it", () => {
    expect(modelObjectKey("20260101-101010-calm-otter.tar.gz")).toBe("20260101-101010-calm-otter.tar.gz");
    expect(modelObjectKey("m.tar.gz", "models/")).toBe("models/m.tar.gz");
    const d = rasapro({ env: [{ name: "REMOTE_STORAGE_PATH", value: "studio-models" }] });
    expect(findModelVolume(d)).toMatchObject({ ok: true, volume: { remoteStoragePath: "studio-models" } });
  });
});
